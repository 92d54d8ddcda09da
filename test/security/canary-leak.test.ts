/**
 * Canary leak test. Owners record covert decoys, SECRET records, records under handling
 * conditions, records past their MoPI review date, links among them, monitoring of forums
 * (covert deployments with undercover lead officers), sightings, access requests and
 * agreements — every free-text field of every one of them carries a unique `CANARY-<hex>`
 * string. The agreements make KENT and NORFOLK non-partners and let CEOP read less of
 * NORFOLK than ESSEX does (canary/world.ts).
 *
 * Then every kind of principal attacks — 4 orgs × 5 roles (OFFICER, ANALYST, FORCE_ADMIN,
 * POLICY_ADMIN, SERVICE) × 3 clearances × with and without the covert claim: the owning org's
 * own officers without the claim and low-clearance admins, partner and non-partner orgs, the
 * CEOP desk with and without the claim. Each generated operation goes out as one of them, and
 * its answer is checked against what that principal may see (canary/principals.ts, written
 * from README's Security section and DESIGN §5, independently of the product's policy code):
 *
 * - reads: hub routing, force namespaces, search (exact, fuzzy, email, phone), the hub's
 *   cross-force lists, the link graph, monitoring, sightings, agreements, access requests,
 *   deconfliction alerts and the desk's views, explainAccess and auditTrail, `_entities` on
 *   each subgraph, and invalid operations: every raw body is searched for any canary, hidden
 *   handle, hidden selector hash and hidden id, and lists, pages, searches and lookups must
 *   show exactly what the rules allow;
 * - existence oracles: every read and write that takes an id, asked with an id the principal
 *   may not know of and a random id of the same shape: identical answers once the ids are blanked;
 * - writes into every namespace and the hub naming hidden records: refused without a trace of
 *   them, answers of the writes that succeed carry nothing hidden, and no hidden row changes.
 *
 * Reproduce a run with CANARY_SEED=<seed printed in the log>; CANARY_SCALE=0.1 for a short one.
 */
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gql, sql, startTestStack, tokenFor, type GqlResult, type TestStack } from "@interforce/testkit";
import { useHubKeys } from "./canary/hub-cursor.js";
import { check, isRefusal, isTransient, type Searched } from "./canary/check.js";
import { families, RID, searchKeys, type QueryCase } from "./canary/gen.js";
import { normaliseHandle } from "@interforce/domain";
import {
  attackerToken,
  CANARY_RE,
  cursorAt,
  expectedAssignments,
  expectedPage,
  expectedSightings,
  KINDS,
  NS,
  ORGS,
  PREFIX,
  SUFFIX,
  seedWorld,
  tokenOf,
  viewOf,
  type Org,
  type World,
} from "./canary/world.js";
import {
  ALERT_ROLES,
  allPrincipals,
  counterpartNamed,
  deskLists,
  isDesk,
  readLevel,
  seesAssignment,
  seesRequest,
  seesSighting,
  type Principal,
  type RecLike,
} from "./canary/principals.js";
import { oracleFamily, writeFamily, type OraclePair, type WriteCase } from "./canary/writes.js";

/** Operations sent concurrently per fast-check run (the stack shares 2 cores). */
const BATCH = 6;
const SCALE = Number(process.env.CANARY_SCALE ?? 1);
const scaled = <K extends string>(o: Record<K, number>) =>
  Object.fromEntries(Object.entries(o).map(([k, n]) => [k, Math.max(1, Math.round((n as number) * SCALE))])) as Record<K, number>;
/** fast-check runs per family, each of BATCH operations (pairs, for the oracles). */
const RUNS = scaled({ route: 64, ns: 64, search: 72, hubViews: 48, mixed: 28, direct: 44, hub: 16, owned: 130, invalid: 118 });
const ORACLE_RUNS = Math.max(1, Math.round(120 * SCALE));
const WRITE_RUNS = Math.max(1, Math.round(280 * SCALE));
const PLANNED = Object.values(RUNS).reduce((a, b) => a + b, 0) * BATCH;
const SEED = process.env.CANARY_SEED ? Number(process.env.CANARY_SEED) : Math.floor(Math.random() * 2 ** 31);

let stack: TestStack;
let world: World;
let sent = 0;
/** Several analysts of the ESSEX force, so the gateway's per-principal rate limit is not what is tested. */
const ANALYSTS = 8;
let tokens: string[];
const PRINCIPALS = allPrincipals(ORGS);
const tokenCache = new Map<string, string>();
const tokenFor_ = (p: Principal) => tokenCache.get(p.sub) ?? (tokenCache.set(p.sub, tokenOf(p)), tokenCache.get(p.sub)!);
const view = (p: Principal) => viewOf(world.seeded, p);

beforeAll(async () => {
  stack = await startTestStack();
  useHubKeys(stack.home);
  world = await seedWorld(stack);
  tokens = Array.from({ length: ANALYSTS }, (_, i) => attackerToken(i));
}, 420_000);

afterAll(async () => {
  await stack?.stop();
});

const urlOf = (c: QueryCase) => (c.target === "gw" ? stack.gatewayUrl : c.target === "hub" ? stack.hubUrl : stack.forceUrls[c.target]!);
// Subgraphs answer only the gateway: direct calls are signed as it signs them, so they still test each subgraph's own checks.
const asGateway = (c: QueryCase) => (c.target === "gw" ? undefined : c.target.toLowerCase());

/** What each org has itself searched (exact selectors): the hub may tell its principals about those again. */
const searchedBy = Object.fromEntries(ORGS.map((o) => [o, { keys: new Set<string>(), hashes: new Set<string>() }])) as Record<Org, Searched>;

/** Sends one operation as a principal (the ESSEX attacker's analysts when none is given). */
async function post(c: QueryCase, p?: Principal): Promise<GqlResult> {
  const token = p ? tokenFor_(p) : tokens[sent % ANALYSTS]!;
  sent++;
  const org = p?.org ?? "ESSEX";
  // Remember what the org searches exactly: the hub may echo it back later.
  for (const e of c.expects) {
    if (e.t !== "search") continue;
    const k = searchKeys(e.term, e.platform);
    if (k?.key) searchedBy[org].keys.add(k.key);
    k?.selectors.forEach((x) => searchedBy[org].hashes.add(x));
  }
  const opts = { token, variables: c.variables, purpose: c.purpose ? undefined : null, asGateway: asGateway(c) };
  let res = await gql(urlOf(c), c.query, opts);
  for (let retry = 0; res.status === 429 && retry < 5; retry++) {
    await new Promise((r) => setTimeout(r, 2000));
    res = await gql(urlOf(c), c.query, opts);
  }
  return res;
}

function verdict(c: QueryCase, res: GqlResult, p?: Principal) {
  const w = p ? view(p) : world;
  return {
    violations: check(w, c, `${c.query}\n${JSON.stringify(c.variables)}`, res, searchedBy[p?.org ?? "ESSEX"]),
    raw: res.raw,
    refused: isRefusal(c, res),
    transient: isTransient(res),
    requestId: res.requestId,
  };
}

/** Warnings and errors every service logged for one request, to explain an INTERNAL error. */
function serviceErrors(requestId: string): string {
  const lines: string[] = [];
  for (const name of stack.services.keys()) {
    for (const l of stack.logsFor(name, requestId)) if (Number(l.level) >= 40) lines.push(`[${name}] ${JSON.stringify(l).slice(0, 600)}`);
  }
  return lines.join("\n");
}

/** Violations grouped by their shape (without ids and paths), with one example each. */
class Tally {
  readonly failures = new Map<string, { count: number; example: string }>();
  readonly perFamily = new Map<string, { sent: number; refused: number; transient: number }>();
  readonly perPrincipal = new Map<string, number>();
  readonly transients: string[] = [];
  valid = 0;

  add(c: QueryCase, p: Principal | undefined, r: ReturnType<typeof verdict>): void {
    const t = this.perFamily.get(c.family) ?? { sent: 0, refused: 0, transient: 0 };
    t.sent++;
    if (r.refused) t.refused++;
    if (c.valid) this.valid++;
    if (r.transient) {
      t.transient++;
      if (this.transients.length < 3) this.transients.push(`${c.query}\nresponse: ${r.raw.slice(0, 500)}\nservice log:\n${serviceErrors(r.requestId)}`);
    }
    this.perFamily.set(c.family, t);
    const who = p?.label ?? "ESSEX ANALYST OFFICIAL_SENSITIVE (attacker)";
    this.perPrincipal.set(who, (this.perPrincipal.get(who) ?? 0) + 1);
    for (const v of r.violations) this.violation(c, who, v, r);
  }

  violation(c: QueryCase, who: string, v: string, r: { raw: string; requestId: string }): void {
    const kind = `${c.family.replace(/^direct-.*/, "direct")} [${who.split(" ")[1]}]: ${v
      .replace(/data[.\w[\]]*/g, "data…")
      .replace(/\br\d+(\.s\d+)?:/g, "")
      .replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, "<uuid>")
      .replace(/CANARY-[0-9a-f]{16}/gi, "<canary>")
      .replace(/(email|phone):[0-9a-f]{64}/g, "$1:<hash>")
      .replace(/holds \S+@\w+/g, "holds <selector>")
      .replace(/ \(near .*$/, "")
      .replace(/: \{.*$/, "")}`;
    const seen = this.failures.get(kind);
    if (seen) seen.count++;
    else
      this.failures.set(kind, {
        count: 1,
        example: `as ${who}: ${c.target} ${c.purpose ? "" : "(no x-purpose) "}${c.query}\nvariables: ${JSON.stringify(c.variables)}\nviolation: ${v}\nresponse: ${r.raw.slice(0, 3000)}${/INTERNAL|HTTP 5/.test(v) ? `\nservice log:\n${serviceErrors(r.requestId)}` : ""}`,
      });
  }

  report(title: string, seconds: string): void {
    const byRole = new Map<string, number>();
    const byClaim = new Map<string, number>();
    const groups = new Map<string, number>();
    for (const [label, n] of this.perPrincipal) {
      const [org, role, cls, claim] = label.split(" ");
      byRole.set(`${org} ${role}`, (byRole.get(`${org} ${role}`) ?? 0) + n);
      const c = `${cls}${claim === "+covert" ? " +covert" : ""}`;
      if (label.includes("attacker")) continue;
      byClaim.set(c, (byClaim.get(c) ?? 0) + n);
      const add = (g: string) => groups.set(g, (groups.get(g) ?? 0) + n);
      if (role === "OFFICER" && claim !== "+covert") add("officers without the covert claim");
      if (role === "FORCE_ADMIN" && cls === "OFFICIAL") add("low-clearance (OFFICIAL) force admins");
      if (role === "FORCE_ADMIN" && cls === "SECRET" && claim === "+covert") add("force auditors (FORCE_ADMIN SECRET +covert)");
      if (org === "CEOP" && (role === "ANALYST" || role === "FORCE_ADMIN")) add(`CEOP desk ${claim === "+covert" ? "with" : "without"} the covert claim`);
      if ((org === "KENT" || org === "NORFOLK") && role === "ANALYST") add("analysts of a non-partner org (KENT↔NORFOLK)");
    }
    const line = (m: Map<string, number>) =>
      [...m.entries()]
        .sort()
        .map(([k, n]) => `  ${k}: ${n}`)
        .join("\n");
    console.log(
      `canary leak: ${title} in ${seconds} s (seed ${SEED}); ${this.failures.size === 0 ? "no leak" : `${this.failures.size} kinds of violation`}\n` +
        `by family:\n${[...this.perFamily.entries()]
          .sort()
          .map(
            ([f, n]) =>
              `  ${f}: ${n.sent}${n.refused ? ` (${n.refused} refused outright: the subgraph answers only the gateway)` : ""}${n.transient ? ` (${n.transient} failed with INTERNAL/TIMEOUT)` : ""}`,
          )
          .join("\n")}\n` +
        `by org and role:\n${line(byRole)}\nby clearance and claim:\n${line(byClaim)}\nby kind of principal:\n${line(groups)}\n` +
        `principals used: ${this.perPrincipal.size}`,
    );
    for (const [kind, { count, example }] of this.failures) console.log(`\nVIOLATION x${count}: ${kind}\n${example}`);
    const failed = [...this.perFamily.values()].reduce((a, n) => a + n.transient, 0);
    for (const t of this.transients) console.log(`\nSERVER FAILURE (not a leak; ${failed} in all):\n${t}`);
  }

  get failed(): number {
    return [...this.perFamily.values()].reduce((a, n) => a + n.transient, 0);
  }
}

/** Canaries in a body that belong to nothing the viewer may see. */
const hiddenCanaries = (w: World, raw: string) =>
  [...raw.matchAll(CANARY_RE)].map((m) => m[0]).filter((t) => !w.visibleOwners.has(w.seeded.canaryKey.get(t.toUpperCase())?.key ?? ""));

/** A generated case together with the principal it is sent as. */
const asAnyone =
  <T>(gen: (w: World) => T, cache = new Map<string, T>()) =>
  (p: Principal) =>
    cache.get(p.sub) ?? (cache.set(p.sub, gen(view(p))), cache.get(p.sub)!);

const CONTENT = {
  identity: "handle displayName notes profileUrl platformOther createdBy grading { conditions }",
  forum: "name url riskSummary createdBy grading { conditions }",
  link: "rationale createdBy grading { conditions }",
};

describe("canary leak: every kind of principal reads and writes nothing it may not", () => {
  it("seeds a canary in every free text of every record, and no secret is a substring of another", async () => {
    const s = world.seeded;
    expect(s.records.filter((r) => !r.hand.visible).length).toBeGreaterThan(30);
    const misplaced: string[] = [];
    for (const { key, text } of s.allTexts) {
      for (const m of text.matchAll(CANARY_RE)) if (s.canaryKey.get(m[0].toUpperCase())?.key !== key) misplaced.push(`${m[0]} in ${key}'s ${text}`);
      // Handles are secrets of their own (checked below); phone numbers are digits.
      if (!/CANARY-/i.test(text) && !/^[\d ]+$/.test(text) && !s.records.some((r) => r.key === key && r.handle === text))
        misplaced.push(`no canary in ${key}'s ${text}`);
    }
    for (const r of s.records.filter((x) => x.handle)) {
      for (const t of s.allTexts) if (t.key !== r.key && t.text.includes(r.handle!)) misplaced.push(`${r.key}'s handle ${r.handle} in ${t.key}'s ${t.text}`);
    }
    expect(misplaced).toEqual([]);
    // The owner's covert-cleared officer gets every canary back: their absence elsewhere is the policy's doing.
    for (const org of ORGS) {
      const owner = tokenFor({ org, roles: ["OFFICER"], clearance: "SECRET", covert: true });
      const mine = s.records.filter((r) => r.org === org);
      const vars = mine.map((_, i) => `$id${i}: ID!`).join(", ");
      const query = `query(${vars}) { ${mine.map((r, i) => `r${i}: ${NS[org]} { ${r.kind}(id: $id${i}) { id ${CONTENT[r.kind]} } }`).join(" ")} }`;
      const res = await gql(stack.gatewayUrl, query, { token: owner, variables: Object.fromEntries(mine.map((r, i) => [`id${i}`, r.id])) });
      expect(res.errors, res.raw).toBeUndefined();
      for (const r of mine) for (const t of r.texts) expect(res.raw, `${r.key} owner read`).toContain(JSON.stringify(t).slice(1, -1));
    }
  });

  it("derives from the written-out rules exactly what was written down by hand for the ESSEX analyst", () => {
    // (A record hidden for two reasons may be reported for either; a link hidden by its end must be.)
    const differ = world.records
      .filter(
        (r) =>
          r.visible !== r.hand.visible ||
          (r.hand.why === "hiddenEnd") !== (r.why === "hiddenEnd") ||
          (r.kind === "identity" && r.searchLevel !== r.hand.searchLevel),
      )
      .map((r) => `${r.key}: rules ${r.visible ? "visible" : r.why}/${r.searchLevel}, by hand ${r.hand.why}/${r.hand.searchLevel}`);
    const owned = world.owned.filter((o) => o.visible !== o.hand).map((o) => `${o.key}: rules ${o.visible}, by hand ${o.hand}`);
    expect([...differ, ...owned]).toEqual([]);
  });

  it("shows every one of the 120 principals exactly the records, assignments and sightings it may see, content and all", async () => {
    const problems: string[] = [];
    const seen: number[] = [];
    for (const p of PRINCIPALS) {
      const w = view(p);
      const lists = ORGS.map(
        (org) =>
          `${NS[org]} { ${KINDS.map((k) => `${k}: ${{ identity: "identities", forum: "forums", link: "links" }[k]}(first: 100) { nodes { id } pageInfo { hasNextPage } }`).join(" ")}
            monitoringAssignments(first: 50) { nodes { id leadOfficer { name } } pageInfo { hasNextPage } } sightings(first: 50) { nodes { id note } pageInfo { hasNextPage } } }`,
      ).join(" ");
      const res = await gql<Record<string, Record<string, { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean } }>>>(stack.gatewayUrl, `{ ${lists} }`, {
        token: tokenFor_(p),
      });
      const c: QueryCase = { family: "spot", target: "gw", query: lists, variables: {}, purpose: true, valid: true, mustFail: false, expects: [] };
      for (const v of check(w, c, lists, res, searchedBy[p.org])) problems.push(`${p.label}: ${v}`);
      if (res.errors) continue;
      let count = 0;
      for (const org of ORGS) {
        const got = res.data![NS[org]]!;
        for (const kind of KINDS) {
          const want = expectedPage(w, org, kind, null).map((r) => r.key);
          const ids = got[kind]!.nodes.map((n) => w.byId.get(n.id)?.key ?? n.id);
          if (JSON.stringify(ids) !== JSON.stringify(want))
            problems.push(`${p.label}: ${org} ${kind} ${JSON.stringify(ids)}, expected ${JSON.stringify(want)}`);
          if (got[kind]!.pageInfo.hasNextPage) problems.push(`${p.label}: ${org} ${kind} has a next page`);
          count += want.length;
        }
        const keys = (nodes: { id: string }[]) => nodes.map((n) => w.owned.find((o) => o.id === n.id)?.key ?? n.id).sort();
        const ma = keys(got.monitoringAssignments!.nodes);
        const wantMa = expectedAssignments(w, { org })
          .map((o) => o.key)
          .sort();
        if (JSON.stringify(ma) !== JSON.stringify(wantMa))
          problems.push(`${p.label}: ${org} monitoringAssignments ${JSON.stringify(ma)}, expected ${JSON.stringify(wantMa)}`);
        const si = keys(got.sightings!.nodes);
        const wantSi = expectedSightings(w, { org })
          .map((o) => o.key)
          .sort();
        if (JSON.stringify(si) !== JSON.stringify(wantSi))
          problems.push(`${p.label}: ${org} sightings ${JSON.stringify(si)}, expected ${JSON.stringify(wantSi)}`);
        for (const o of w.owned.filter((x) => (x.kind === "monitoring" ? wantMa : wantSi).includes(x.key))) {
          if (!res.raw.includes(JSON.stringify(o.texts[0]).slice(1, -1))) problems.push(`${p.label}: ${o.key}'s ${o.texts[0]} not shown`);
        }
      }
      seen.push(count);
      // The content of every record it may read: each canary of it comes back.
      const mine = w.records.filter((r) => r.visible);
      for (let i = 0; i < mine.length; i += 30) {
        const chunk = mine.slice(i, i + 30);
        const q = `query(${chunk.map((_, j) => `$id${j}: ID!`).join(", ")}) { ${chunk.map((r, j) => `r${j}: ${NS[r.org]} { ${r.kind}(id: $id${j}) { id ${CONTENT[r.kind]} } }`).join(" ")} }`;
        const vars = Object.fromEntries(chunk.map((r, j) => [`id${j}`, r.id]));
        const got = await gql(stack.gatewayUrl, q, { token: tokenFor_(p), variables: vars });
        const cc: QueryCase = { family: "spot", target: "gw", query: q, variables: vars, purpose: true, valid: true, mustFail: false, expects: [] };
        for (const v of check(w, cc, `${q}\n${JSON.stringify(vars)}`, got, searchedBy[p.org])) problems.push(`${p.label}: ${v}`);
        for (const r of chunk)
          for (const t of r.texts) if (!got.raw.includes(JSON.stringify(t).slice(1, -1))) problems.push(`${p.label}: ${r.key}'s ${t} not shown`);
      }
    }
    console.log(
      `canary leak: records each principal may read: ${Math.min(...seen)}–${Math.max(...seen)} of ${world.records.length} (${PRINCIPALS.length} principals)`,
    );
    expect(problems).toEqual([]);
    expect(Math.max(...seen)).toBeGreaterThan(20);
  });

  it("lists every principal exactly the deconfliction alerts, desk alerts, agreements and access requests it may know of", async () => {
    const problems: string[] = [];
    const ags = world.seeded.agreements;
    for (const p of PRINCIPALS) {
      const w = view(p);
      const token = tokenFor_(p);
      if (ALERT_ROLES.includes(p.role)) {
        const got: { id: string; counterpartOrg: string | null; yourRecordId: string | null }[] = [];
        for (let after: string | null = null; ;) {
          const q = `query($a: String) { deconflictionAlerts(first: 100, after: $a) { nodes { id trigger selector counterpartOrg yourRecordId advice contact { name } } pageInfo { endCursor hasNextPage } } }`;
          const res: GqlResult<{ deconflictionAlerts: { nodes: typeof got; pageInfo: { endCursor: string | null; hasNextPage: boolean } } }> = await gql(
            stack.gatewayUrl,
            q,
            { token, variables: { a: after } },
          );
          const c: QueryCase = {
            family: "spot",
            target: "gw",
            query: q,
            variables: {},
            purpose: true,
            valid: true,
            mustFail: false,
            expects: [{ t: "alerts", path: ["deconflictionAlerts", "nodes"] }],
          };
          for (const v of check(w, c, q, res, searchedBy[p.org])) problems.push(`${p.label}: ${v}`);
          if (res.errors) {
            problems.push(`${p.label}: alerts ${res.raw.slice(0, 300)}`);
            break;
          }
          got.push(...res.data!.deconflictionAlerts.nodes);
          if (!res.data!.deconflictionAlerts.pageInfo.hasNextPage) break;
          after = res.data!.deconflictionAlerts.pageInfo.endCursor;
        }
        const want = w.alerts.filter((a) => a.side !== null);
        const ids = got.map((a) => a.id).sort();
        if (JSON.stringify(ids) !== JSON.stringify(want.map((a) => a.id).sort())) {
          const extra = got.filter((a) => !want.some((x) => x.id === a.id)).map((a) => w.alerts.find((x) => x.id === a.id) ?? a);
          const missing = want.filter((a) => !got.some((x) => x.id === a.id));
          problems.push(`${p.label}: alerts it may not see ${JSON.stringify(extra)}; missing ${JSON.stringify(missing)}`);
        }
        for (const a of got) {
          const k = w.alerts.find((x) => x.id === a.id);
          if (!k?.side) continue;
          const named = counterpartNamed(k, k.side, ags);
          const counterpart = k.side === "holder" ? k.otherOrg : k.holderOrg;
          if ((named ? counterpart : null) !== a.counterpartOrg)
            problems.push(`${p.label}: alert ${a.id} (${k.holderOrg}/${k.otherOrg}) names ${a.counterpartOrg}, expected ${named ? counterpart : "the desk"}`);
        }
      }
      if (isDesk(p)) {
        const q = `{ deconflictionDeskAlerts(first: 100) { nodes { id trigger selector holderOrg otherOrg holderCovert otherCovert partners } } }`;
        const res = await gql<{ deconflictionDeskAlerts: { nodes: { id: string }[] } }>(stack.gatewayUrl, q, { token });
        if (p.covert) {
          // The desk is told which orgs to put in touch: the selector is content of records it may not read.
          const c: QueryCase = { family: "spot", target: "gw", query: q, variables: {}, purpose: true, valid: true, mustFail: false, expects: [] };
          for (const v of check(w, c, q, res, searchedBy[p.org])) problems.push(`${p.label}: desk alerts: ${v}`);
        }
        if (!p.covert) {
          if (res.errors?.[0]?.extensions?.code !== "FORBIDDEN") problems.push(`${p.label}: desk alerts without the claim: ${res.raw.slice(0, 300)}`);
        } else {
          const ids = (res.data?.deconflictionDeskAlerts.nodes ?? []).map((a) => a.id).sort();
          const want = world.seeded.alerts
            .filter((a) => deskLists(a, ags))
            .map((a) => a.id)
            .sort();
          if (JSON.stringify(ids) !== JSON.stringify(want))
            problems.push(`${p.label}: desk alerts ${ids.length}, expected ${want.length}: ${res.raw.slice(0, 300)}`);
        }
      }
      const res = await gql<{ agreements: { nodes: { id: string }[] }; accessRequests: { nodes: { id: string }[] } }>(
        stack.gatewayUrl,
        `{ agreements(first: 50) { nodes { id name members } } accessRequests(first: 50) { nodes { id recordId purpose requesterSub } } }`,
        { token },
      );
      const c: QueryCase = {
        family: "spot",
        target: "gw",
        query: "{ agreements accessRequests }",
        variables: {},
        purpose: true,
        valid: true,
        mustFail: false,
        expects: [],
      };
      for (const v of check(w, c, c.query, res, searchedBy[p.org])) problems.push(`${p.label}: ${v}`);
      if (res.errors) continue;
      const ag = res.data!.agreements.nodes.map((a) => w.agreements.find((x) => x.id === a.id)?.key ?? a.id).sort();
      const wantAg = w.agreements
        .filter((a) => a.visible)
        .map((a) => a.key)
        .sort();
      if (JSON.stringify(ag) !== JSON.stringify(wantAg)) problems.push(`${p.label}: agreements ${JSON.stringify(ag)}, expected ${JSON.stringify(wantAg)}`);
      const rq = res.data!.accessRequests.nodes.map((a) => w.requests.find((x) => x.id === a.id)?.key ?? a.id).sort();
      const wantRq = w.requests
        .filter((r) => r.visible)
        .map((r) => r.key)
        .sort();
      if (JSON.stringify(rq) !== JSON.stringify(wantRq)) problems.push(`${p.label}: access requests ${JSON.stringify(rq)}, expected ${JSON.stringify(wantRq)}`);
    }
    expect(problems).toEqual([]);
    // Someone sees each kind of thing, so none of these passes by showing nothing.
    expect(PRINCIPALS.some((p) => view(p).requests.some((r) => r.visible))).toBe(true);
    expect(PRINCIPALS.filter((p) => view(p).alerts.some((a) => a.side)).length).toBeGreaterThan(10);
  });

  it("shows a force admin only audit events and explanations about records it may read (the auditor reads them all)", async () => {
    const problems: string[] = [];
    const nodes = "nodes { seq sub operation records { id kind level } detail } pageInfo { hasNextPage }";
    const ask = async (p: Principal, org: Org, field: string, expects: QueryCase["expects"]) => {
      const query = `query { r0: ${NS[org]} { s0: ${field} } }`;
      const c: QueryCase = { family: "spot", target: "gw", query, variables: {}, purpose: true, valid: true, mustFail: false, expects };
      const res = await post(c, p);
      for (const v of check(view(p), c, query, res, searchedBy[p.org])) problems.push(`${p.label}: ${field.slice(0, 120)}: ${v}`);
      return res;
    };
    for (const org of ORGS) {
      const auditor = PRINCIPALS.find((p) => p.org === org && p.role === "FORCE_ADMIN" && p.clearance === "SECRET" && p.covert)!;
      const low = PRINCIPALS.find((p) => p.org === org && p.role === "FORCE_ADMIN" && p.clearance === "OFFICIAL" && !p.covert)!;
      const lw = view(low);
      const mine = lw.records.filter((r) => r.org === org);
      const hidden = mine.filter((r) => !r.visible).slice(0, 3);
      const visible = mine.filter((r) => r.visible).slice(0, 3);
      expect(hidden.length && visible.length, `${org} has records its low-clearance admin may and may not read`).toBeTruthy();
      const as = PRINCIPALS.find((p) => p.label === "ESSEX ANALYST SECRET")!;
      const asInput = `{ org: "ESSEX", roles: ["ANALYST"], clearance: SECRET }`;
      for (const r of [...hidden, ...visible]) {
        for (const p of [low, auditor]) {
          await ask(p, org, `auditTrail(recordId: ${JSON.stringify(r.id)}, first: 20) { ${nodes} }`, [{ t: "audit", path: ["r0", "s0"], org, recordId: r.id }]);
          await ask(p, org, `explainAccess(recordId: ${JSON.stringify(r.id)}, as: ${asInput}) { read { level reason } search { level reason } }`, [
            { t: "explain", path: ["r0", "s0"], org, id: r.id, as },
          ]);
        }
      }
      // The auditor asks what the creator of a record hidden from the low-clearance admin did; that
      // admin then reads the force's trail (the auditor's own consultation among it).
      const creator = hidden[0]!.texts.at(-1)!;
      await ask(auditor, org, `auditTrail(sub: ${JSON.stringify(creator)}, first: 5) { ${nodes} }`, [{ t: "audit", path: ["r0", "s0"], org, recordId: null }]);
      await ask(low, org, `auditTrail(sub: ${JSON.stringify(auditor.sub)}, first: 100) { ${nodes} }`, [
        { t: "audit", path: ["r0", "s0"], org, recordId: null },
      ]);
      await ask(low, org, `auditTrail(org: ${JSON.stringify(org)}, first: 100) { ${nodes} }`, [{ t: "audit", path: ["r0", "s0"], org, recordId: null }]);
    }
    expect(problems).toEqual([]);
  });

  it("names in deconfliction alerts none of its own force's records it may not read", async () => {
    // Before any search: only alerts raised when the seeded records were indexed exist.
    const alerts: { id: string; trigger: string; selector: string; yourRecordId: string | null; counterpartOrg: string | null }[] = [];
    for (let after: string | null = null; ;) {
      const res: GqlResult<{ deconflictionAlerts: { nodes: typeof alerts; pageInfo: { endCursor: string | null; hasNextPage: boolean } } }> = await gql(
        stack.gatewayUrl,
        `query($a: String) { deconflictionAlerts(first: 100, after: $a) { nodes { id trigger selector yourRecordId counterpartOrg } pageInfo { endCursor hasNextPage } } }`,
        { token: tokens[0], variables: { a: after } },
      );
      expect(res.errors, res.raw).toBeUndefined();
      alerts.push(...res.data!.deconflictionAlerts.nodes);
      if (!res.data!.deconflictionAlerts.pageInfo.hasNextPage) break;
      after = res.data!.deconflictionAlerts.pageInfo.endCursor;
    }
    expect(alerts.length, "ESSEX holds handles that other forces hold too: deconfliction has something to say").toBeGreaterThan(0);
    const revealing = alerts
      .filter((a) => a.yourRecordId && !world.visibleIds.has(a.yourRecordId))
      .map((a) => {
        const r = world.byId.get(a.yourRecordId!);
        return { ...a, record: r ? `${r.key} (${r.org} ${r.kind}, ${r.why})` : "?" };
      });
    expect(revealing, `alerts naming ESSEX records the analyst may not read:\n${JSON.stringify(revealing, null, 2)}`).toEqual([]);
  });

  it("lists exactly the visible records in every force, with no next page and no hidden one counted", async () => {
    for (const org of ORGS) {
      for (const kind of KINDS) {
        const field = { identity: "identities", forum: "forums", link: "links" }[kind];
        const res = await gql<Record<string, Record<string, { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } }>>>(
          stack.gatewayUrl,
          `{ ${NS[org]} { ${field}(first: 100) { nodes { id } pageInfo { hasNextPage endCursor } } } }`,
          { token: tokens[0] },
        );
        expect(res.errors, res.raw).toBeUndefined();
        const page = res.data![NS[org]]![field]!;
        const want = world.ordered[org][kind].filter((r) => r.visible);
        expect(
          page.nodes.map((n) => world.byId.get(n.id)?.key ?? n.id),
          `${org} ${kind}`,
        ).toEqual(want.map((r) => r.key));
        expect(page.pageInfo.hasNextPage).toBe(false);
        expect(page.pageInfo.endCursor).toBe(want.length ? cursorAt(want.at(-1)!) : null);
      }
    }
  });

  it("resolves no hidden representation on any force subgraph called directly", async () => {
    for (const org of ORGS) {
      const mine = world.records.filter((r) => r.org === org);
      const reps = mine.map((r) => ({ __typename: `${PREFIX[org]}${SUFFIX[r.kind]}`, id: r.id }));
      const res = await gql<{ _entities: ({ id: string } | null)[] }>(
        stack.forceUrls[org]!,
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on IntelligenceRecord { id createdBy grading { conditions } } ... on OnlineIdentity { handle notes displayName profileUrl } ... on Forum { name url riskSummary } ... on SuspectLink { rationale } } }`,
        { token: tokens[0], variables: { r: reps }, asGateway: org.toLowerCase() },
      );
      expect(hiddenCanaries(world, res.raw)).toEqual([]);
      // A subgraph that answers only the gateway refuses the call outright; one that answers
      // must resolve every hidden representation to null.
      if (res.status === 403 || res.status === 401) {
        expect(res.data ?? null).toBeNull();
        expect(res.errors?.map((e) => e.extensions?.code)).toEqual([res.status === 403 ? "FORBIDDEN" : "UNAUTHENTICATED"]);
        continue;
      }
      expect(res.errors, res.raw).toBeUndefined();
      expect(res.data!._entities.map((e, i) => (e ? mine[i]!.key : null))).toEqual(mine.map((r) => (r.visible ? r.key : null)));
    }
  });

  it("answers a search for a selector only covert records hold exactly as one nobody holds, deconfliction alerts included", async () => {
    const alerts = async () =>
      (
        await gql<{
          deconflictionAlerts: {
            nodes: { id: string; trigger: string; selector: string; counterpartOrg: string | null; advice: string; occurrences: number }[];
          };
        }>(stack.gatewayUrl, `{ deconflictionAlerts(first: 100) { nodes { id trigger selector counterpartOrg advice occurrences yourRecordId } } }`, {
          token: tokens[0],
        })
      ).data!.deconflictionAlerts.nodes;
    const search = (q: string, platform: string) =>
      gql<{ search: { hits: unknown[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }>(
        stack.gatewayUrl,
        `query($q: String!) { search(query: $q, platform: ${platform}) { hits { recordId selector access { level } } pageInfo { hasNextPage endCursor } } }`,
        { token: tokens[0], variables: { q } },
      );
    const before = new Map((await alerts()).map((a) => [a.id, a.occurrences]));
    const nobody = await search(`nobody holds ${randomUUID().slice(0, 8)}`, "SNAPCHAT");
    expect(nobody.errors, nobody.raw).toBeUndefined();
    // Identities whose handle no record but a covert one has.
    const key = (r: { handle?: string }) => normaliseHandle(r.handle!);
    const covertOnly = world.records.filter(
      (r) => r.kind === "identity" && r.why === "covert" && !world.records.some((o) => o.kind === "identity" && o.why !== "covert" && key(o) === key(r)),
    );
    expect(covertOnly.length).toBeGreaterThan(0);
    for (const r of covertOnly) {
      searchedBy.ESSEX.keys.add(normaliseHandle(r.handle!));
      const res = await search(r.handle!, r.platform!);
      expect(res.errors, res.raw).toBeUndefined();
      expect(res.data, r.key).toEqual(nobody.data);
    }
    // The searching force is told nothing new about records it may not know of.
    const fresh = (await alerts()).filter((a) => (before.get(a.id) ?? 0) !== a.occurrences);
    const revealing = fresh.filter((a) => covertOnly.some((r) => a.selector.startsWith(`${normaliseHandle(r.handle!)}@`)));
    expect(revealing, `alerts the attacker's org got for its searches of covert-only selectors:\n${JSON.stringify(revealing, null, 2)}`).toEqual([]);
  });

  it("answers a fuzzy search with POINTER hits that do not disclose the hidden handle they matched", async () => {
    // A SECRET record's handle, typed almost right: the hit may say that KENT holds something
    // similar (POINTER), but not what — the normalised handle is the record's content.
    const k1 = world.records.find((r) => r.key === "k1")!;
    const full = normaliseHandle(k1.handle!);
    const typed = full.slice(0, full.length - 3);
    const res = await gql<{ search: { hits: { recordId: string; selector: string; match: string; access: { level: string } }[] } }>(
      stack.gatewayUrl,
      `query($q: String!) { search(query: $q, platform: SNAPCHAT, fuzzy: true) { hits { recordId selector match score access { level } identity { id } } } }`,
      { token: tokens[0], variables: { q: typed } },
    );
    expect(res.errors, res.raw).toBeUndefined();
    const hit = res.data!.search.hits.find((h) => h.recordId === k1.id);
    expect(hit?.access.level, "the SECRET record is a POINTER hit").toBe("POINTER");
    expect(res.raw, `fuzzy search ${JSON.stringify(typed)} disclosed ${full}`).not.toContain(full);
  });

  it("shows the attacker exactly the monitoring and sightings it may know of", async () => {
    const key = (k: string) => world.records.find((r) => r.key === k)!.id;
    const keysOf = (ids: string[]) => ids.map((id) => world.owned.find((o) => o.id === id)?.key ?? id).sort();
    const res = await gql<{
      forum: { monitoring: { nodes: { id: string }[] } } | null;
      identity: { sightings: { nodes: { id: string }[] } | null } | null;
      essex: { sightings: { nodes: { id: string }[] }; monitoringAssignments: { nodes: { id: string }[] } };
    }>(
      stack.gatewayUrl,
      `query($f: ID!, $i: ID!) {
        forum(id: $f) { id monitoring(first: 50) { nodes { id ... on MonitoringAssignment { org covert leadOfficer { name } } } } }
        identity(id: $i) { id sightings(first: 50) { nodes { id note } } }
        essex { sightings(first: 50) { nodes { id note } } monitoringAssignments(first: 50) { nodes { id leadOfficer { name } } } }
      }`,
      { token: tokens[0], variables: { f: key("fN1"), i: key("d2") } },
    );
    expect(res.errors, res.raw).toBeUndefined();
    expect(hiddenCanaries(world, res.raw)).toEqual([]);
    // KENT's overt monitoring of a NORFOLK forum, not its covert one.
    expect(keysOf(res.data!.forum!.monitoring.nodes.map((n) => n.id))).toEqual(["M2"]);
    // CEOP's OFFICIAL sighting of ESSEX's identity, not its SECRET one.
    expect(keysOf(res.data!.identity!.sightings!.nodes.map((n) => n.id))).toEqual(["S2"]);
    expect(keysOf(res.data!.essex.sightings.nodes.map((n) => n.id))).toEqual(["S6"]);
    // ESSEX's own covert deployment needs the covert claim.
    expect(res.data!.essex.monitoringAssignments.nodes).toEqual([]);
  });

  it(`leaks nothing to any principal in ${PLANNED} generated reads (fast-check)`, { timeout: 900_000 }, async () => {
    const fams = asAnyone(families);
    const tally = new Tally();
    const started = Date.now();
    for (const [name, runs] of Object.entries(RUNS) as [keyof typeof RUNS, number][]) {
      const one = fc.constantFrom(...PRINCIPALS).chain((p) => fams(p)[name].map((c) => ({ p, c })));
      await fc.assert(
        fc.asyncProperty(fc.array(one, { minLength: BATCH, maxLength: BATCH }), async (cases) => {
          const results = await Promise.all(cases.map(async ({ p, c }) => verdict(c, await post(c, p), p)));
          results.forEach((r, i) => tally.add(cases[i]!.c, cases[i]!.p, r));
        }),
        { numRuns: runs, seed: SEED + name.length, endOnFailure: true },
      );
      console.log(`canary leak: ${name} done, ${sent} queries so far, ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
    tally.report(
      `${[...tally.perFamily.values()].reduce((a, n) => a + n.sent, 0)} generated reads as ${tally.perPrincipal.size} principals`,
      ((Date.now() - started) / 1000).toFixed(1),
    );
    // Server failures disclose nothing, but too many would leave the expectations unchecked.
    expect(tally.failed, "operations that failed with INTERNAL or TIMEOUT").toBeLessThanOrEqual(Math.ceil(tally.valid * 0.1));
    expect([...tally.failures.keys()]).toEqual([]);
  });

  /** Rows of everything seeded, as stored (records, assignments, sightings; the hub's requests, agreements, alerts). */
  async function rows(): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const org of ORGS) {
      for (const table of ["online_identity", "forum", "suspect_link", "monitoring_assignment", "sighting"]) {
        for (const r of await sql<{ id: string; j: string }>(stack.databases[org]!.ownerUrl, `SELECT id::text AS id, to_jsonb(t)::text AS j FROM ${table} t`))
          out.set(`${org} ${table} ${r.id}`, r.j);
      }
    }
    for (const table of ["access_request", "agreement", "deconfliction_alert"]) {
      for (const r of await sql<{ id: string; j: string }>(stack.databases.HUB!.ownerUrl, `SELECT id::text AS id, to_jsonb(t)::text AS j FROM ${table} t`))
        out.set(`HUB ${table} ${r.id}`, r.j);
    }
    return out;
  }
  let before: Map<string, string> | undefined;
  /** Alerts a write legitimately acknowledged (a side that sees them). */
  const acknowledged = new Set<string>();

  it(
    `answers a hidden id exactly as a random one of its shape, on every read and write that takes one (${ORACLE_RUNS * BATCH} pairs)`,
    { timeout: 600_000 },
    async () => {
      before = await rows();
      const pairsOf = asAnyone(oracleFamily);
      const tally = new Tally();
      const perField = new Map<string, number>();
      const started = Date.now();
      const uuidOf = (id: string) => id.split(":").at(-1)!;
      const blank = (r: GqlResult, id: string) =>
        JSON.stringify({
          data: r.data ?? null,
          errors: (r.errors ?? []).map((e) => ({ message: e.message, code: e.extensions?.code, field: e.extensions?.field, path: e.path })),
        })
          .replaceAll(id, "<ID>")
          .replaceAll(uuidOf(id), "<UUID>");
      const one = fc.constantFrom(...PRINCIPALS).chain((p) => pairsOf(p).map((pair) => ({ p, pair })));
      await fc.assert(
        fc.asyncProperty(fc.array(one, { minLength: BATCH, maxLength: BATCH }), async (pairs) => {
          await Promise.all(
            pairs.map(async ({ p, pair }: { p: Principal; pair: OraclePair }) => {
              const a = await post(pair.a, p);
              const b = await post(pair.b, p);
              perField.set(pair.family, (perField.get(pair.family) ?? 0) + 1);
              const va = verdict(pair.a, a, p);
              const vb = verdict(pair.b, b, p);
              tally.add(pair.a, p, va);
              tally.add(pair.b, p, vb);
              if (va.transient || vb.transient) return;
              const [x, y] = [blank(a, pair.hidden), blank(b, pair.random)];
              if (x !== y) {
                const rec = view(p).byId.get(pair.hidden);
                tally.violation(
                  pair.a,
                  p.label,
                  `answered the ${rec ? `hidden ${rec.key} (${rec.org} ${rec.kind}, ${rec.why})` : `hidden ${pair.hidden}`} unlike a random id: ${x.slice(0, 700)}  ≠  ${y.slice(0, 700)}`,
                  va,
                );
              }
            }),
          );
        }),
        { numRuns: ORACLE_RUNS, seed: SEED + 101, endOnFailure: true },
      );
      console.log(
        `canary leak: oracle pairs per field:\n${[...perField.entries()]
          .sort()
          .map(([f, n]) => `  ${f}: ${n}`)
          .join("\n")}`,
      );
      tally.report(
        `${[...perField.values()].reduce((a, b) => a + b, 0)} existence-oracle pairs as ${tally.perPrincipal.size} principals`,
        ((Date.now() - started) / 1000).toFixed(1),
      );
      expect([...tally.failures.keys()]).toEqual([]);
    },
  );

  it(`answers writes naming hidden records as every principal without a trace of them (${WRITE_RUNS * BATCH} mutations)`, { timeout: 600_000 }, async () => {
    const writesOf = asAnyone(writeFamily);
    const tally = new Tally();
    const started = Date.now();
    const s = world.seeded;
    const created = new Map<string, RecLike>();
    const base = new Map(s.records.map((r) => [r.id, r as RecLike]));
    const lookup = (id: string) => base.get(id) ?? created.get(id);
    let made = 0;
    /** A successful write's answer: what it created, and who may see it (the answer that carries the writer's own canaries is the original). */
    const register = (p: Principal, c: WriteCase, res: GqlResult) => {
      if (c.touches && !res.errors) acknowledged.add(c.touches);
      if (!c.creates) return;
      let ans: unknown = res.data;
      for (const k of c.creates.path) ans = ans && typeof ans === "object" ? (ans as Record<string, unknown>)[k] : undefined;
      const id = ans && typeof ans === "object" ? ((ans as Record<string, unknown>)[RID] ?? (ans as Record<string, unknown>).id) : undefined;
      if (typeof id !== "string" || s.created.has(id)) return;
      const what = c.creates.what;
      if (!what.canaries.some((t) => JSON.stringify(ans).includes(t.match(CANARY_RE)![0]))) return;
      made++;
      const ags = s.agreements;
      let sees: (q: Principal) => boolean;
      let desc: string;
      if (what.t === "record") {
        const rec: RecLike = { id, org: what.org, kind: what.kind, marks: what.marks, from: what.from, toIdentity: what.toIdentity, toForum: what.toForum };
        created.set(id, rec);
        sees = (q) => readLevel(q, rec, lookup, ags).level === "FULL";
        desc = `${what.org} ${what.kind} ${what.marks.classification}${what.marks.covert ? " covert" : ""} recorded by ${p.label}`;
      } else if (what.t === "monitoring") {
        sees = (q) => seesAssignment(q, what, ags);
        desc = `${what.org} monitoring (${what.classification}${what.covert ? ", covert" : ""}) assigned by ${p.label}`;
      } else if (what.t === "sighting") {
        const identity = lookup(what.identity);
        const org = what.identity.split(":")[0] as Org;
        sees = (q) => seesSighting(q, what, { org, readable: !!identity && readLevel(q, identity, lookup, ags).level === "FULL" });
        desc = `${what.org} sighting (${what.classification}) recorded by ${p.label}`;
      } else {
        const owner = what.recordId.split(":")[0] as Org;
        sees = (q) => seesRequest(q, { owner, requesterOrg: what.requesterOrg, requesterSub: what.requesterSub, recordId: what.recordId }, lookup);
        desc = `access request by ${p.label}`;
      }
      s.created.set(id, { kind: what.t, desc, sees });
      for (const t of what.canaries) for (const m of t.matchAll(CANARY_RE)) s.canaryKey.set(m[0].toUpperCase(), { key: id, desc });
    };
    const one = fc.constantFrom(...PRINCIPALS).chain((p) => writesOf(p).map((c) => ({ p, c })));
    await fc.assert(
      fc.asyncProperty(fc.array(one, { minLength: BATCH, maxLength: BATCH }), async (cases) => {
        const results = await Promise.all(cases.map(({ p, c }) => post(c, p)));
        // First what the batch created (a replay may be answered before its original), then the checks.
        results.forEach((r, i) => register(cases[i]!.p, cases[i]!.c, r));
        results.forEach((r, i) => tally.add(cases[i]!.c, cases[i]!.p, verdict(cases[i]!.c, r, cases[i]!.p)));
      }),
      { numRuns: WRITE_RUNS, seed: SEED + 202, endOnFailure: true },
    );
    tally.report(
      `${[...tally.perFamily.values()].reduce((a, n) => a + n.sent, 0)} mutations as ${tally.perPrincipal.size} principals (${made} succeeded and created something)`,
      ((Date.now() - started) / 1000).toFixed(1),
    );
    expect(made, "some writes succeed, so their answers are checked too").toBeGreaterThan(WRITE_RUNS * BATCH * 0.05);
    expect([...tally.failures.keys()]).toEqual([]);
  });

  it("left every seeded row as it was: no write, refused or answered, changed anything hidden", async () => {
    expect(before, "rows taken before the oracles and writes").toBeDefined();
    const after = await rows();
    const changed: string[] = [];
    const describeRow = (k: string) => {
      const id = k.split(" ")[2]!;
      const r = world.seeded.records.find((x) => x.uuid === id) ?? world.seeded.owned.find((x) => x.uuid === id);
      return r ? `${k} (${r.key})` : k;
    };
    for (const [k, j] of before!) {
      if (k.startsWith("HUB deconfliction_alert") && acknowledged.has(k.split(" ")[2]!)) continue;
      if (after.get(k) !== j) changed.push(`${describeRow(k)}: ${j.slice(0, 400)} → ${after.get(k)?.slice(0, 400) ?? "gone"}`);
    }
    expect(changed).toEqual([]);
  });
});
