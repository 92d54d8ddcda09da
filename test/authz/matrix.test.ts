/**
 * A generated authorization matrix through the real federation: 36 KENT records (every
 * combination of classification, handling, covert and review date) × 60 principals
 * (role × org × clearance × covert claim) × 9 states of the pilot agreement (status ×
 * validity) × 5 read paths. The expected level of every case comes from ./spec.ts, an
 * independent statement of the rules; packages/policy is not consulted.
 *
 * Each record is the end of one KENT link and one ESSEX link. A KENT link starts at one of
 * three KENT anchors (plain; handled only to CEOP; erased once linked) and is marked exactly
 * as covert and as high as its KENT ends; an ESSEX link starts at a plain ESSEX anchor. The
 * link path reads both orgs' links, so it sees links withheld for a hidden end of their own
 * org, links shown whatever their other org's end, and links whose own-org end is erased.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { normaliseHandle } from "@interforce/domain";
import {
  eventually,
  gql,
  LINK_IDENTITIES,
  markings,
  RECORD_IDENTITY,
  sql,
  startTestStack,
  tokenFor,
  type GqlOptions,
  type GqlResult,
  type TestStack,
} from "@interforce/testkit";
import {
  CLASSIFICATIONS,
  expectedLevel,
  expectedLinkLevel,
  mayRecordLink,
  ROLES,
  type Cls,
  type Level,
  type Role,
  type SpecAgreement,
  type SpecEnd,
  type SpecPrincipal,
  type SpecRecord,
} from "./spec.js";

const DAY = 24 * 3600 * 1000;
const OWNER = "KENT";
const PARTNER = "ESSEX";
const PLATFORM = "SNAPCHAT";
const CONCURRENCY = 8;

// ---------------------------------------------------------------------------------------
// Dimensions
// ---------------------------------------------------------------------------------------

type HandlingCase = "P" | "C:ESSEX" | "C:CEOP";
const HANDLING_CASES: HandlingCase[] = ["P", "C:ESSEX", "C:CEOP"];

/** The namespaces whose links the link path reads: the records' owner and its partner. */
const LINK_NS = ["kent", "essex"] as const;
type LinkNs = (typeof LINK_NS)[number];

/** A link to a matrix record: its id, its markings and its ends as they stand when the matrix runs. */
interface LinkCase {
  id: string;
  link: SpecRecord;
  ends: SpecEnd[];
}

interface MatrixRecord extends SpecRecord {
  id: string;
  handle: string;
  label: string;
  /** The link of each namespace whose `toIdentity` is this record. */
  links: Record<LinkNs, LinkCase>;
}

/** 36 spellings of one handle: case, separators and look-alike digits all fold away. */
function matrixHandles(n: number): string[] {
  const first = ["Matrix", "m4trix", "MATRIX", "M4trix"];
  const second = ["Fox", "f0x", "FOX"];
  const third = ["42", "a2", "A2"];
  const seps = ["_", ".", " ", "-", "", "__"];
  const out = new Set<string>();
  for (let i = 0; out.size < n; i++) {
    out.add(`${first[i % 4]}${seps[i % 6]}${second[Math.floor(i / 4) % 3]}${seps[(i + 3) % 6]}${third[Math.floor(i / 12) % 3]}`);
  }
  return [...out];
}
const HANDLES = matrixHandles(36);
const SEARCH_SELECTOR = "MATRIX-FOX 42";

interface Principal extends SpecPrincipal {
  label: string;
  token: string;
}

function principals(): Principal[] {
  const out: Principal[] = [];
  for (const role of ROLES)
    for (const org of [OWNER, PARTNER])
      for (const clearance of CLASSIFICATIONS)
        for (const covert of [false, true]) {
          const token = tokenFor({ org, roles: [role], clearance, covert, sub: `matrix-${role.toLowerCase()}@${org.toLowerCase()}` });
          out.push({ org, role: role as Role, clearance, covert, token, label: `${org} ${role} ${clearance}${covert ? " covert" : ""}` });
        }
  return out;
}

type Status = SpecAgreement["status"];
type Validity = "current" | "not yet valid" | "expired";
interface AgreementState {
  status: Status;
  validity: Validity;
  validFrom: Date;
  validTo: Date | null;
  label: string;
}

function agreementStates(now: number): AgreementState[] {
  const windows: Record<Validity, [Date, Date | null]> = {
    current: [new Date(now - 30 * DAY), new Date(now + 30 * DAY)],
    "not yet valid": [new Date(now + 30 * DAY), null],
    expired: [new Date(now - 60 * DAY), new Date(now - DAY)],
  };
  const out: AgreementState[] = [];
  for (const status of ["ACTIVE", "SUSPENDED", "REVOKED"] as const)
    for (const validity of ["current", "not yet valid", "expired"] as const) {
      const [validFrom, validTo] = windows[validity];
      out.push({ status, validity, validFrom, validTo, label: `${status}/${validity}` });
    }
  return out;
}

const PATHS = ["list", "search", "byId", "linkEnd", "entities"] as const;
type Path = (typeof PATHS)[number];

// ---------------------------------------------------------------------------------------
// Observing one (principal, path): one request covering all 36 records
// ---------------------------------------------------------------------------------------

/** Per record id, the observed level, or a description of an inconsistent answer. */
type Observation = Map<string, string>;

const LIST = `{ kent { identities(first: 100) { nodes { id } } } }`;
const SEARCH = `query($s: String!) { search(query: $s, platform: ${PLATFORM}, first: 100) {
  hits { recordId access { level } identity { id ... on OnlineIdentity { handle } } } pageInfo { hasNextPage } } }`;
const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on KentOnlineIdentity { id handle } } }`;
const LINKS = `{ ${LINK_NS.map(
  (ns) => `${ns} { links(first: 100) { nodes { id toIdentity { identity { id ... on OnlineIdentity { handle } } } } pageInfo { hasNextPage } } }`,
).join("\n")} }`;
const byIdQuery = (ids: string[]) =>
  `{ ${ids.map((id, i) => `r${i}: identity(id: ${JSON.stringify(id)}) { id ... on OnlineIdentity { handle } }`).join("\n")} }`;

class Anomaly extends Error {}

function requireShape(res: GqlResult, ok: boolean, what: string): void {
  if (res.status !== 200 || !ok) {
    throw new Anomaly(`${what}: HTTP ${res.status}, ${res.raw.slice(0, 300)}`);
  }
}

let stack: TestStack;
let records: MatrixRecord[] = [];
/** Each matrix link's id: the record at its far end and the namespace that holds it. */
let recordOfLink = new Map<string, { id: string; ns: LinkNs }>();
const errorMessages = new Map<string, number>();

/**
 * A request that failed in transport (a subgraph socket reset surfaced as INTERNAL, a time
 * budget spent on a starved machine) says nothing about authorization: it is sent again, up
 * to three times in all, and the number of such retries is reported. A policy outcome never
 * looks like this, so a real denial is never retried away.
 */
const TRANSIENT = new Set(["INTERNAL", "INTERNAL_SERVER_ERROR", "TIMEOUT"]);
let retries = 0;
async function send<T>(url: string, query: string, opts: GqlOptions): Promise<GqlResult<T>> {
  for (let attempt = 1; ; attempt++) {
    let res: GqlResult<T> | undefined;
    let thrown: unknown;
    try {
      res = await gql<T>(url, query, opts);
    } catch (e) {
      thrown = e;
    }
    const transient = res === undefined || res.status >= 500 || (res.errors ?? []).some((e) => TRANSIENT.has(String(e.extensions?.code)));
    if (!transient || attempt === 3) {
      if (res === undefined) throw thrown;
      return res;
    }
    retries++;
    await new Promise((r) => setTimeout(r, 250 * attempt));
  }
}

function noteErrors(path: Path, res: GqlResult): void {
  for (const e of res.errors ?? []) {
    const key = `${path}: ${String(e.extensions?.code ?? "")} ${e.message}`.slice(0, 160);
    errorMessages.set(key, (errorMessages.get(key) ?? 0) + 1);
  }
}

async function observe(p: Principal, path: Path): Promise<Observation> {
  const obs: Observation = new Map(records.map((r) => [r.id, "NONE"]));
  const handleOf = new Map(records.map((r) => [r.id, r.handle]));
  const full = (id: string, handle: unknown) => {
    if (!obs.has(id)) return; // not one of the matrix records (anchors, other ids)
    obs.set(id, handle === handleOf.get(id) ? "FULL" : `WRONG HANDLE ${JSON.stringify(handle)}`);
  };
  switch (path) {
    case "list": {
      const res = await send<{ kent: { identities: { nodes: { id: string }[] } } }>(stack.gatewayUrl, LIST, { token: p.token });
      noteErrors(path, res);
      requireShape(res, Array.isArray(res.data?.kent?.identities?.nodes), "kent.identities");
      for (const n of res.data!.kent.identities.nodes) if (obs.has(n.id)) obs.set(n.id, "FULL");
      return obs;
    }
    case "search": {
      type Hit = { recordId: string; access: { level: Level }; identity: { id: string; handle?: string | null } | null };
      const res = await send<{ search: { hits: Hit[]; pageInfo: { hasNextPage: boolean } } }>(stack.gatewayUrl, SEARCH, {
        token: p.token,
        variables: { s: SEARCH_SELECTOR },
      });
      noteErrors(path, res);
      requireShape(res, Array.isArray(res.data?.search?.hits), "search");
      if (res.data!.search.pageInfo.hasNextPage) throw new Anomaly("search: more than one page of hits");
      for (const h of res.data!.search.hits) {
        if (!obs.has(h.recordId)) throw new Anomaly(`search: unexpected hit ${h.recordId}`);
        if (obs.get(h.recordId) !== "NONE") throw new Anomaly(`search: ${h.recordId} hit twice`);
        const level = h.access?.level;
        if (level === "FULL" && h.identity?.id === h.recordId && h.identity.handle === handleOf.get(h.recordId)) obs.set(h.recordId, "FULL");
        else if (level === "POINTER" && h.identity === null) obs.set(h.recordId, "POINTER");
        else obs.set(h.recordId, `INCONSISTENT hit (access ${level}, identity ${JSON.stringify(h.identity)})`);
      }
      return obs;
    }
    case "byId": {
      const ids = records.map((r) => r.id);
      const res = await send<Record<string, { id: string; handle?: string | null } | null>>(stack.gatewayUrl, byIdQuery(ids), { token: p.token });
      noteErrors(path, res);
      requireShape(res, res.data != null && ids.every((_, i) => `r${i}` in res.data!), "identity(id:)");
      ids.forEach((id, i) => {
        const v = res.data![`r${i}`];
        if (v?.handle != null) full(id, v.handle);
      });
      return obs;
    }
    case "linkEnd": {
      // Per record and namespace: FULL (the link to it is listed and its end resolves to the
      // record), LINK ONLY (the link is listed, the end's record is withheld) or NONE (no link).
      // A reference carries no id: a link is told by its own id, and an end's id comes only
      // with its record, from its owner.
      type Node = { id: string; toIdentity: { identity: { id: string; handle?: string | null } | null } | null };
      type Links = { links: { nodes: Node[]; pageInfo: { hasNextPage: boolean } } };
      const res = await send<Record<LinkNs, Links>>(stack.gatewayUrl, LINKS, { token: p.token });
      noteErrors(path, res);
      requireShape(
        res,
        LINK_NS.every((ns) => Array.isArray(res.data?.[ns]?.links?.nodes)),
        LINK_NS.map((ns) => `${ns}.links`).join(" and "),
      );
      const seen = new Map<string, string>();
      for (const ns of LINK_NS) {
        const page = res.data![ns].links;
        if (page.pageInfo.hasNextPage) throw new Anomaly(`${ns}.links: more than one page of links`);
        for (const n of page.nodes) {
          const r = recordOfLink.get(n.id);
          if (!r) continue; // a link to something other than a matrix record
          if (r.ns !== ns) throw new Anomaly(`${ns}.links: listed ${r.ns}'s link ${n.id}`);
          const key = `${ns} ${r.id}`;
          if (seen.has(key)) throw new Anomaly(`${ns}.links: link ${n.id} listed twice`);
          const end = n.toIdentity?.identity ?? null;
          seen.set(
            key,
            end === null
              ? "LINK ONLY"
              : end.id !== r.id
                ? `WRONG END ${JSON.stringify(end.id)}`
                : end.handle === handleOf.get(r.id)
                  ? "FULL"
                  : `WRONG HANDLE ${JSON.stringify(end.handle)}`,
          );
        }
      }
      for (const r of records) {
        const parts = LINK_NS.map((ns) => `${ns} ${seen.get(`${ns} ${r.id}`) ?? "NONE"}`);
        // A record withheld at every end is not named by the answer: not even its id.
        if (!parts.some((x) => x.endsWith(" FULL")) && res.raw.includes(r.id.split(":")[2]!)) parts.push("ID IN THE ANSWER");
        obs.set(r.id, parts.join("; "));
      }
      return obs;
    }
    case "entities": {
      const reps = records.map((r) => ({ __typename: "KentOnlineIdentity", id: r.id }));
      // Subgraphs answer only calls signed as the gateway's; sign as it would, to reach _entities directly.
      const res = await send<{ _entities: ({ id: string; handle: string } | null)[] }>(stack.forceUrls[OWNER]!, ENTITIES, {
        token: p.token,
        variables: { r: reps },
        asGateway: OWNER.toLowerCase(),
      });
      noteErrors(path, res);
      requireShape(res, Array.isArray(res.data?._entities) && res.data!._entities.length === records.length, "_entities");
      res.data!._entities.forEach((e, i) => {
        const id = records[i]!.id;
        if (e === null) return;
        if (e.id !== id) obs.set(id, `WRONG ENTITY ${e.id}`);
        else full(id, e.handle);
      });
      return obs;
    }
  }
}

// ---------------------------------------------------------------------------------------
// Expected levels, from ./spec.ts
// ---------------------------------------------------------------------------------------

/** What the link path shows of one link to record `r`, in the terms of its observation. */
function throughLink(p: SpecPrincipal, c: LinkCase, r: SpecRecord, agreements: SpecAgreement[], now: Date): "FULL" | "LINK ONLY" | "NONE" {
  if (expectedLinkLevel(p, c.link, c.ends, agreements, now) !== "FULL") return "NONE";
  return expectedLevel(p, r, agreements, now, false) === "FULL" ? "FULL" : "LINK ONLY";
}

/** The expected observation: a level, or on the link path one outcome per namespace. */
function expected(p: Principal, r: MatrixRecord, agreements: SpecAgreement[], now: Date, path: Path): string {
  switch (path) {
    case "search":
      return expectedLevel(p, r, agreements, now, true);
    case "linkEnd":
      return LINK_NS.map((ns) => `${ns} ${throughLink(p, r.links[ns], r, agreements, now)}`).join("; ");
    default:
      return expectedLevel(p, r, agreements, now, false);
  }
}

/**
 * Which part of the link rule a link-path expectation rests on, counted so the run shows
 * the world exercises each: a link its markings allow but an own-org end withholds; a link
 * shown although another org's end is hidden; a link shown with an own-org end erased.
 */
function linkRuleCases(p: SpecPrincipal, r: MatrixRecord, agreements: SpecAgreement[], now: Date): string[] {
  const out: string[] = [];
  for (const ns of LINK_NS) {
    const c = r.links[ns];
    const byMarkings = expectedLevel(p, c.link, agreements, now, false);
    const level = expectedLinkLevel(p, c.link, c.ends, agreements, now);
    if (byMarkings === "FULL" && level !== "FULL") out.push("withheld for a hidden own-org end");
    if (level !== "FULL") continue;
    const otherHidden = c.ends.some((e) => e.org !== c.link.owner && e.record !== null && expectedLevel(p, e.record, agreements, now, false) !== "FULL");
    if (otherHidden) out.push("shown with another org's end hidden");
    if (c.ends.some((e) => e.org === c.link.owner && e.record === null)) out.push("shown with an own-org end erased");
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Set-up
// ---------------------------------------------------------------------------------------

interface AgreementRowSnapshot {
  id: string;
  name: string;
  members: string[];
  kinds: string[];
  max_classification: Cls;
  status: Status;
  valid_from: Date;
  valid_to: Date | null;
}

let original: AgreementRowSnapshot;
let others: SpecAgreement[] = [];
const hubUrl = () => stack.databases.HUB!.ownerUrl;

async function pool<T>(items: T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

const ORG_DB = (ns: string) => stack.databases[ns.toUpperCase()]!.ownerUrl;

/**
 * One write, made idempotent for a transient failure: the write may or may not have
 * committed, so the database is asked first (`existing`) before it is sent again.
 */
async function write<T>(attempt: () => Promise<GqlResult>, pick: (r: GqlResult) => T, existing: () => Promise<{ value: T } | null>): Promise<T> {
  for (let i = 1; ; i++) {
    const res = await attempt();
    const transient = res.status >= 500 || (res.errors ?? []).some((e) => TRANSIENT.has(String(e.extensions?.code)));
    if (!transient || i === 3) {
      expect(res.errors, res.raw).toBeUndefined();
      return pick(res);
    }
    retries++;
    await new Promise((r) => setTimeout(r, 250 * i));
    const found = await existing();
    if (found) return found.value;
  }
}

/** Records an identity; its handle is unique in the test, so it also finds a committed one. */
async function record(ns: string, token: string, input: Record<string, unknown>): Promise<string> {
  return write(
    () => gql(stack.gatewayUrl, RECORD_IDENTITY(ns), { token, variables: { input } }),
    (res) => (res.data as Record<string, { recordOnlineIdentity: { id: string } }>)[ns]!.recordOnlineIdentity.id,
    async () => {
      const rows = await sql<{ id: string }>(ORG_DB(ns), "SELECT id::text AS id FROM online_identity WHERE handle = $1", [input.handle]);
      return rows[0] ? { value: `${ns.toUpperCase()}:identity:${rows[0].id}` } : null;
    },
  );
}

/** Erases a KENT identity (MoPI review, DELETE); an identity already gone counts as erased. */
async function erase(token: string, id: string): Promise<void> {
  await write(
    () =>
      gql(stack.gatewayUrl, `mutation($id: ID!) { kent { reviewRecord(id: $id, decision: DELETE, reason: "authz matrix: erased link end") { id } } }`, {
        token,
        variables: { id },
      }),
    () => undefined,
    async () => {
      const rows = await sql(ORG_DB("kent"), "SELECT 1 FROM online_identity WHERE id = $1", [id.split(":")[2]]);
      return rows.length === 0 ? { value: undefined } : null;
    },
  );
}

const plainIdentity = (owner: string): SpecRecord => ({
  owner,
  kind: "identity",
  classification: "OFFICIAL",
  handling: "P",
  conditionsOrgs: [],
  covert: false,
  reviewDue: null,
});

/**
 * The link from `ends[0]` to `ends[1]` that `owner` records: handling P, no review date,
 * and marked exactly as high and as covert as the highest and most covert of its ends of
 * `owner` (the least the write rule allows).
 */
function coveringLink(owner: string, ends: SpecEnd[]): SpecRecord {
  const own = ends.filter((e) => e.org === owner && e.record !== null).map((e) => e.record!);
  const rank = Math.max(0, ...own.map((r) => CLASSIFICATIONS.indexOf(r.classification)));
  return { ...plainIdentity(owner), kind: "link", classification: CLASSIFICATIONS[rank]!, covert: own.some((r) => r.covert) };
}

/**
 * The KENT anchors the KENT links start from, record i taking anchor i mod 3: a plain one,
 * one handled only to CEOP (readable in full by KENT's own readers, by no ESSEX principal),
 * and a plain one that is erased once its links are recorded.
 */
const KENT_ANCHORS: { handle: string; spec: SpecRecord; erased: boolean }[] = [
  { handle: "matrix_anchor_kent", spec: plainIdentity(OWNER), erased: false },
  { handle: "matrix_anchor_kent_ceop_only", spec: { ...plainIdentity(OWNER), handling: "C", conditionsOrgs: ["CEOP"] }, erased: false },
  { handle: "matrix_anchor_kent_erased", spec: plainIdentity(OWNER), erased: true },
];
const ESSEX_ANCHOR = plainIdentity(PARTNER);
let essexAnchorId = "";

/** Records a link with the classification and covert marking of `marked`, handling P; returns its id. */
async function link(ns: string, token: string, fromId: string, toIdentityId: string, marked: SpecRecord): Promise<string> {
  const mark = markings({ classification: marked.classification, covert: marked.covert });
  return write(
    () =>
      gql(stack.gatewayUrl, LINK_IDENTITIES(ns), {
        token,
        variables: { input: { fromId, toIdentityId, linkType: "COMMUNICATES_WITH", rationale: "authz matrix", markings: mark } },
      }),
    (res) => (res.data as Record<string, { linkIdentities: { id: string } }>)[ns]!.linkIdentities.id,
    async () => {
      const rows = await sql<{ id: string }>(ORG_DB(ns), "SELECT id::text AS id FROM suspect_link WHERE from_id = $1 AND to_identity_id = $2", [
        fromId,
        toIdentityId,
      ]);
      return rows[0] ? { value: `${ns.toUpperCase()}:link:${rows[0].id}` } : null;
    },
  );
}

beforeAll(async () => {
  stack = await startTestStack();

  const agreements = await sql<AgreementRowSnapshot>(
    hubUrl(),
    "SELECT id, name, members, kinds, max_classification, status, valid_from, valid_to FROM agreement ORDER BY name",
  );
  original = agreements.find((a) => a.name === "Eastern Region Joint Monitoring")!;
  expect(original).toBeDefined();
  expect([...original.members].sort()).toEqual(["CEOP", "ESSEX", "KENT", "NORFOLK"]);
  expect([...original.kinds].sort()).toEqual(["forum", "identity", "link"]);
  expect(original.max_classification).toBe("OFFICIAL_SENSITIVE");
  // Any other agreement stays as it is and is part of the specification's input.
  others = agreements
    .filter((a) => a.id !== original.id)
    .map((a) => ({ members: a.members, kinds: a.kinds, ceiling: a.max_classification, status: a.status, validFrom: a.valid_from, validTo: a.valid_to }));

  expect(new Set(HANDLES.map(normaliseHandle)).size).toBe(1);
  expect(normaliseHandle(HANDLES[0]!)).toBe(normaliseHandle(SEARCH_SELECTOR));

  const kentWriter = tokenFor({ org: OWNER, roles: ["OFFICER"], clearance: "SECRET", covert: true });
  const essexWriter = tokenFor({ org: PARTNER, roles: ["OFFICER"], clearance: "SECRET" });
  const reviewPast = new Date(Date.now() - 2 * DAY);

  const specs: Omit<MatrixRecord, "id" | "links">[] = [];
  for (const classification of CLASSIFICATIONS)
    for (const h of HANDLING_CASES)
      for (const covert of [false, true])
        for (const past of [false, true]) {
          const conditionsOrgs = h === "P" ? [] : [h.slice(2)];
          specs.push({
            owner: OWNER,
            kind: "identity",
            classification,
            handling: h === "P" ? "P" : "C",
            conditionsOrgs,
            covert,
            reviewDue: past ? reviewPast : null,
            handle: HANDLES[specs.length]!,
            label: `${classification} ${h}${covert ? " covert" : ""}${past ? " review-past" : ""}`,
          });
        }
  const ids = new Array<string>(specs.length);
  await pool([...specs.keys()], 4, async (i) => {
    const s = specs[i]!;
    ids[i] = await record("kent", kentWriter, {
      platform: PLATFORM,
      handle: s.handle,
      status: "SUSPECT",
      notes: `matrix record: ${s.label}`,
      markings: markings({
        classification: s.classification,
        source: ["RELIABLE", "UNTESTED", "NOT_RELIABLE"][i % 3],
        assessment: "ABCDE"[i % 5],
        handling: s.handling,
        ...(s.handling === "C" ? { conditions: `only to ${s.conditionsOrgs.join(", ")}`, conditionsOrgs: s.conditionsOrgs } : {}),
        covert: s.covert,
        ...(s.reviewDue ? { reviewDue: s.reviewDue.toISOString() } : {}),
      }),
    });
  });

  // One KENT link and one ESSEX link to every record, each marked as the write rule requires.
  const kentAnchorIds: string[] = [];
  for (const a of KENT_ANCHORS) {
    const s = a.spec;
    kentAnchorIds.push(
      await record("kent", kentWriter, {
        platform: PLATFORM,
        handle: a.handle,
        status: "UNKNOWN",
        markings: markings({
          handling: s.handling,
          ...(s.handling === "C" ? { conditions: `only to ${s.conditionsOrgs.join(", ")}`, conditionsOrgs: s.conditionsOrgs } : {}),
        }),
      }),
    );
  }
  essexAnchorId = await record("essex", essexWriter, { platform: PLATFORM, handle: "matrix_anchor_essex", status: "UNKNOWN", markings: markings() });
  const recorded = specs.map((s, i) => {
    const anchor = KENT_ANCHORS[i % KENT_ANCHORS.length]!;
    const kentEnds: SpecEnd[] = [
      { org: OWNER, record: anchor.spec },
      { org: OWNER, record: s },
    ];
    const essexEnds: SpecEnd[] = [
      { org: PARTNER, record: ESSEX_ANCHOR },
      { org: OWNER, record: s },
    ];
    return { s, i, kent: { link: coveringLink(OWNER, kentEnds), ends: kentEnds }, essex: { link: coveringLink(PARTNER, essexEnds), ends: essexEnds } };
  });
  for (const { s, kent, essex } of recorded) {
    expect(mayRecordLink(kent.link, kent.ends), `KENT link to ${s.label}`).toBe(true);
    expect(mayRecordLink(essex.link, essex.ends), `ESSEX link to ${s.label}`).toBe(true);
  }
  const linkIds: Record<LinkNs, string>[] = new Array(recorded.length);
  await pool(recorded, 4, async ({ i, kent, essex }) => {
    linkIds[i] = {
      kent: await link("kent", kentWriter, kentAnchorIds[i % KENT_ANCHORS.length]!, ids[i]!, kent.link),
      essex: await link("essex", essexWriter, essexAnchorId, ids[i]!, essex.link),
    };
  });
  for (const [k, a] of KENT_ANCHORS.entries()) if (a.erased) await erase(kentWriter, kentAnchorIds[k]!);
  const afterErasure = (ends: SpecEnd[]): SpecEnd[] =>
    ends.map((e) => (KENT_ANCHORS.some((a) => a.erased && a.spec === e.record) ? { org: e.org, record: null } : e));
  records = recorded.map(({ s, i, kent, essex }) => ({
    ...s,
    id: ids[i]!,
    links: {
      kent: { id: linkIds[i]!.kent, link: kent.link, ends: afterErasure(kent.ends) },
      essex: { id: linkIds[i]!.essex, link: essex.link, ends: afterErasure(essex.ends) },
    },
  }));
  recordOfLink = new Map(records.flatMap((r) => LINK_NS.map((ns) => [r.links[ns].id, { id: r.id, ns }] as const)));

  await eventually(async () => {
    // Every record of the matrix holds the searched selector: all are in the hub's index.
    const rows = await sql<{ n: string }>(hubUrl(), "SELECT count(DISTINCT record_id)::text AS n FROM selector_pointer WHERE record_id = ANY($1)", [
      records.map((r) => r.id),
    ]);
    return rows[0]!.n === String(records.length);
  }, 20_000);
}, 300_000);

afterAll(async () => {
  if (stack && original) await restoreAgreement().catch(() => undefined);
  await stack?.stop();
});

async function restoreAgreement(): Promise<void> {
  await sql(hubUrl(), "UPDATE agreement SET status = $2, valid_from = $3, valid_to = $4 WHERE id = $1", [
    original.id,
    original.status,
    original.valid_from,
    original.valid_to,
  ]);
}

const pilotIn = (s: AgreementState): SpecAgreement => ({
  members: original.members,
  kinds: original.kinds,
  ceiling: original.max_classification,
  status: s.status,
  validFrom: s.validFrom,
  validTo: s.validTo,
});

/**
 * Puts the pilot agreement in a state and waits until the cached copies of KENT and ESSEX
 * have it: for each, a probe that the agreement alone decides (an analyst of the other org
 * reading an OFFICIAL, P, non-covert identity by _entities) must answer what the
 * specification says, and at least four refresh periods (200 ms each) must have passed,
 * for changes the probes cannot see.
 */
async function enterState(s: AgreementState): Promise<void> {
  const t0 = Date.now();
  await sql(hubUrl(), "UPDATE agreement SET status = $2, valid_from = $3, valid_to = $4 WHERE id = $1", [original.id, s.status, s.validFrom, s.validTo]);
  const kentRecord = records.find((r) => r.classification === "OFFICIAL" && r.handling === "P" && !r.covert && r.reviewDue === null)!;
  const probes = [
    { owner: OWNER, reader: PARTNER, record: kentRecord, id: kentRecord.id },
    { owner: PARTNER, reader: OWNER, record: ESSEX_ANCHOR, id: essexAnchorId },
  ];
  await eventually(
    async () => {
      for (const probe of probes) {
        const principal: SpecPrincipal = { org: probe.reader, role: "ANALYST", clearance: "OFFICIAL", covert: false };
        const want = expectedLevel(principal, probe.record, [pilotIn(s), ...others], new Date(), false);
        const prefix = probe.owner.charAt(0) + probe.owner.slice(1).toLowerCase();
        const res = await gql<{ _entities: (unknown | null)[] }>(
          stack.forceUrls[probe.owner]!,
          `query($r: [_Any!]!) { _entities(representations: $r) { ... on ${prefix}OnlineIdentity { id handle } } }`,
          {
            token: tokenFor({ org: probe.reader, roles: ["ANALYST"], clearance: "OFFICIAL", sub: `matrix-probe@${probe.reader.toLowerCase()}` }),
            variables: { r: [{ __typename: `${prefix}OnlineIdentity`, id: probe.id }] },
            asGateway: probe.owner.toLowerCase(),
          },
        );
        const got = res.data?._entities?.[0] ? "FULL" : "NONE";
        if (got !== want) return false;
      }
      return true;
    },
    30_000,
    100,
  );
  const rest = 800 - (Date.now() - t0);
  if (rest > 0) await new Promise((r) => setTimeout(r, rest));
}

// ---------------------------------------------------------------------------------------
// The matrix
// ---------------------------------------------------------------------------------------

interface Mismatch {
  state: string;
  principal: string;
  path: Path;
  record: string;
  expected: string;
  actual: string;
}

const EXPECTED_CASES = 36 * 60 * 9 * 5;

describe("authorization matrix through the federation", () => {
  it(`matches the specification on all ${EXPECTED_CASES.toLocaleString("en-GB")} cases (36 records × 60 principals × 9 agreement states × 5 paths)`, async () => {
    const t0 = Date.now();
    const who = principals();
    const states = agreementStates(Date.now());
    expect(records).toHaveLength(36);
    expect(who).toHaveLength(60);
    expect(states).toHaveLength(9);

    const mismatches: Mismatch[] = [];
    const anomalies: string[] = [];
    let cases = 0;
    const tally: Record<string, number> = {};
    const ruleTally: Record<string, number> = {};
    try {
      for (const state of states) {
        await enterState(state);
        const agreements = [pilotIn(state), ...others];
        const tasks = who.flatMap((p) => PATHS.map((path) => ({ p, path })));
        await pool(tasks, CONCURRENCY, async ({ p, path }) => {
          let obs: Observation;
          try {
            obs = await observe(p, path);
          } catch (e) {
            if (!(e instanceof Anomaly)) throw e;
            anomalies.push(`${state.label} | ${p.label} | ${path} | ${e.message}`);
            return;
          }
          // Compare at the time of the answer; the agreement windows are days wide.
          const now = new Date();
          for (const r of records) {
            const want = expected(p, r, agreements, now, path);
            const got = obs.get(r.id)!;
            cases++;
            for (const part of want.split("; ")) tally[part] = (tally[part] ?? 0) + 1;
            if (path === "linkEnd") for (const c of linkRuleCases(p, r, agreements, now)) ruleTally[c] = (ruleTally[c] ?? 0) + 1;
            if (got !== want) mismatches.push({ state: state.label, principal: p.label, path, record: r.label, expected: want, actual: got });
          }
        });
      }
    } finally {
      await restoreAgreement();
    }

    const secs = ((Date.now() - t0) / 1000).toFixed(1);
    const linkTally = LINK_NS.map((ns) => `${ns} ${["FULL", "LINK ONLY", "NONE"].map((o) => `${o} ${tally[`${ns} ${o}`] ?? 0}`).join(", ")}`).join("; ");
    console.log(
      `[authz matrix] ${cases.toLocaleString("en-GB")} of ${EXPECTED_CASES.toLocaleString("en-GB")} cases checked in ${secs} s ` +
        `(expected FULL ${tally.FULL ?? 0}, POINTER ${tally.POINTER ?? 0}, NONE ${tally.NONE ?? 0}; through links: ${linkTally}): ` +
        `${mismatches.length} mismatches, ${anomalies.length} failed requests, ${retries} transient failures retried`,
    );
    console.log(
      `[authz matrix] link rule cases: ${
        Object.entries(ruleTally)
          .map(([k, n]) => `${k} × ${n}`)
          .join(", ") || "none"
      }`,
    );
    if (errorMessages.size) {
      console.log(`[authz matrix] GraphQL errors seen (path: code message × count):\n  ${[...errorMessages].map(([m, n]) => `${m} × ${n}`).join("\n  ")}`);
    }

    const report: string[] = [];
    if (anomalies.length) report.push(`${anomalies.length} requests failed:`, ...anomalies.slice(0, 10).map((a) => `  ${a}`));
    if (mismatches.length) {
      const groups = new Map<string, number>();
      for (const m of mismatches) {
        const key = `${m.path}: ${m.principal.split(" ").slice(0, 2).join(" ")} expected ${m.expected}, got ${m.actual}`;
        groups.set(key, (groups.get(key) ?? 0) + 1);
      }
      report.push(
        `${mismatches.length} of ${cases} cases disagree with the specification. By path/principal:`,
        ...[...groups].slice(0, 15).map(([k, n]) => `  ${k} × ${n}`),
        `First ${Math.min(20, mismatches.length)}:`,
        ...mismatches.slice(0, 20).map((m) => `  [${m.state}] ${m.principal} | ${m.path} | ${m.record} | expected ${m.expected}, got ${m.actual}`),
      );
    }
    if (report.length) console.log(report.join("\n"));
    expect(report.join("\n")).toBe("");
    expect(cases).toBe(EXPECTED_CASES);
    // The world must keep a case of each part of the link rule, or the matrix would not test it.
    expect(Object.keys(ruleTally).sort()).toEqual([
      "shown with an own-org end erased",
      "shown with another org's end hidden",
      "withheld for a hidden own-org end",
    ]);
    // About 5-6 minutes on an otherwise idle 2-core machine: 2,700 requests, of which the 540
    // on the byId path fan out into 36 KENT fetches each. The limit leaves room for a busy one.
  }, 900_000);
});
