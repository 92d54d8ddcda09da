/**
 * What every response to the attacker must satisfy. Returns the violations found (empty
 * when the response is safe), each a one-line description.
 */
import { normaliseHandle } from "@interforce/domain";
import { CANARY_RE, cursorAt, decodeCursor, expectedIdentityLinks, expectedPage, RECORD_TYPENAMES, PREFIX, SUFFIX, type World } from "./world.js";
import { expectedGraph, expectedHits, expectedHubList, RID, TN, type Expect, type QueryCase } from "./gen.js";

const decodeHubCursor = (c: unknown): { t: number; id: string } | null => {
  try {
    return typeof c === "string" ? JSON.parse(Buffer.from(c, "base64url").toString("utf8")) : null;
  } catch {
    return null;
  }
};

/**
 * What the attacker has itself searched so far (exact selectors): the hub may tell it about
 * those again (deconfliction alerts list them), which discloses nothing it did not type.
 */
export interface Searched {
  keys: Set<string>;
  hashes: Set<string>;
}

export interface Response {
  status: number;
  raw: string;
  data?: unknown;
  errors?: { message: string; path?: unknown[]; extensions?: Record<string, unknown> }[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const LINKS_KEY = /^L\d+_(\d+)$/;
/** Null, false, an empty list, or an object of such: says nothing about a record. */
const emptyish = (x: unknown): boolean => x === null || x === false || (Array.isArray(x) && x.length === 0) || (isObj(x) && Object.values(x).every(emptyish));

function at(data: unknown, path: string[]): unknown {
  let v = data;
  for (const k of path) {
    if (!isObj(v)) return undefined;
    v = v[k];
  }
  return v;
}

const short = (v: unknown) => {
  const s = JSON.stringify(v);
  return s && s.length > 300 ? `${s.slice(0, 300)}…` : s;
};

const foreignEnds = new WeakMap<World, Set<string>>();

/** Ends of links the attacker may read that belong to another org than the link's. */
function visibleForeignLinkEnds(w: World): Set<string> {
  let ends = foreignEnds.get(w);
  if (!ends) {
    ends = new Set(
      w.records
        .filter((l) => l.kind === "link" && l.visible)
        .flatMap((l) => [l.from, l.toIdentity, l.toForum].filter((id): id is string => !!id && w.byId.get(id)?.org !== l.org)),
    );
    foreignEnds.set(w, ends);
  }
  return ends;
}

/** Canary tokens, hidden handles and hidden ids in the raw body. */
function rawChecks(w: World, target: QueryCase["target"], request: string, raw: string, out: string[], searched: Searched): void {
  const req = request.toLowerCase();
  for (const m of raw.matchAll(CANARY_RE)) {
    if (!req.includes(m[0].toLowerCase())) out.push(`canary ${m[0]} of ${w.canaryOwner.get(m[0].toUpperCase()) ?? "?"} in the response`);
  }
  // Normalised handles only hidden records have: shown only to whoever typed them.
  const rawLower = raw.toLowerCase();
  const reqKey = normaliseHandle(request);
  for (const [key, owner] of w.hiddenKeys) {
    if (rawLower.includes(key) && !reqKey.includes(key) && !searched.keys.has(key)) out.push(`normalised handle ${key} of hidden ${owner} in the response`);
  }
  // Email and phone hashes only hidden records have: shown only to whoever searched the value.
  const reqDigits = request.replace(/\D/g, "");
  for (const [hash, { raw: value, owner }] of w.hiddenHashes) {
    if (!raw.includes(hash.split(":")[1]!) || searched.hashes.has(hash)) continue;
    const asked = value.includes("@") ? req.includes(value.toLowerCase()) : reqDigits.includes(value.replace(/\D/g, "").slice(1));
    if (!asked) out.push(`selector hash of ${value} of hidden ${owner} in the response`);
  }
  for (const h of w.hiddenHandles) {
    if (raw.includes(h) && !request.includes(h)) out.push(`hidden handle ${JSON.stringify(h)} of ${w.canaryOwner.get(h)} in the response`);
  }
  for (const r of w.records) {
    if (r.visible || !raw.includes(r.uuid) || request.includes(r.uuid)) continue;
    // A force subgraph called directly answers a link's ends by their keys: the end, of another
    // org than the link's, of a link the attacker may read (a link's own org withholds the link
    // when the attacker may not read an end of that org). Through the gateway a reference has
    // no id: a hidden end's id is never in the answer.
    if (target !== "gw" && visibleForeignLinkEnds(w).has(r.id)) continue;
    if (w.pointerIds.has(r.id) && /search|requestAccess/.test(request)) continue; // hit/no-hit by design
    out.push(`id of hidden ${r.key} (${r.org} ${r.kind}, ${r.why}) in the response`);
  }
  for (const o of w.owned) {
    if (!o.visible && raw.includes(o.uuid) && !request.includes(o.uuid)) out.push(`id of hidden ${o.kind} ${o.key} (${o.org}) in the response`);
  }
}

/** Every record object in the data: hidden or unknown ones carry nothing but their id. */
function walk(w: World, v: unknown, out: string[], path: string, noContent: boolean): void {
  if (Array.isArray(v)) {
    v.forEach((x, i) => walk(w, x, out, `${path}[${i}]`, noContent));
    return;
  }
  if (!isObj(v)) return;
  const tn = v[TN];
  const rid = v[RID];
  if (typeof tn === "string" && typeof rid === "string" && /(MonitoringAssignment|Sighting)$/.test(tn)) {
    const o = w.owned.find((x) => x.id === rid);
    if (!o || !o.visible || noContent) {
      for (const [k, x] of Object.entries(v)) {
        if (k === TN || k === RID || emptyish(x) || x === rid || x === tn) continue;
        out.push(
          `${path}: ${o ? `hidden ${o.kind} ${o.key} (${o.org})` : `unknown ${tn} ${rid}`}${noContent && o?.visible ? " read without a purpose" : ""} returned with ${k}=${short(x)}`,
        );
      }
    }
  }
  if (typeof tn === "string" && RECORD_TYPENAMES.has(tn) && typeof rid === "string") {
    const rec = w.byId.get(rid);
    if (!rec || !rec.visible || noContent) {
      for (const [k, x] of Object.entries(v)) {
        if (k === TN || k === RID || emptyish(x) || x === rid || x === tn) continue;
        const what = !rec
          ? `unknown record ${rid}`
          : rec.visible
            ? `${rec.key} (read without a purpose)`
            : `hidden ${rec.key} (${rec.org} ${rec.kind}, ${rec.why})`;
        out.push(`${path}: ${what} returned with ${k}=${short(x)}`);
      }
    } else {
      if (tn !== `${PREFIX[rec.org]}${SUFFIX[rec.kind]}`) out.push(`${path}: ${rid} typed ${tn}`);
      for (const [k, x] of Object.entries(v)) {
        const m = LINKS_KEY.exec(k);
        if (!m || x === null) continue;
        if (rec.kind !== "identity" || !Array.isArray(x)) {
          out.push(`${path}.${k}: unexpected ${short(x)}`);
          continue;
        }
        const got = x.map((l) => (isObj(l) ? l[RID] : l));
        const want = expectedIdentityLinks(w, rid)
          .slice(0, Number(m[1]))
          .map((l) => l.id);
        if (JSON.stringify(got) !== JSON.stringify(want)) {
          out.push(
            `${path}.${k}: links of ${rec.key} were ${short(got.map((id) => w.byId.get(id as string)?.key ?? id))}, expected ${short(want.map((id) => w.byId.get(id)!.key))}`,
          );
        }
      }
    }
  }
  for (const [k, x] of Object.entries(v)) walk(w, x, out, `${path}.${k}`, noContent);
}

function checkExpect(w: World, e: Expect, data: unknown, out: string[]): void {
  const v = at(data, e.path);
  const where = e.path.join(".");
  switch (e.t) {
    case "hubById": {
      const rec = w.byId.get(e.id);
      if (rec && rec.visible && rec.kind === e.kind) {
        if (!isObj(v) || v[RID] !== e.id) out.push(`${where}: visible ${rec.key} not returned: ${short(v)}`);
      }
      // Hidden and unknown records: the walker has checked that nothing but the id came back.
      return;
    }
    case "nsById": {
      const rec = w.byId.get(e.id);
      if (rec && rec.visible && rec.kind === e.kind && rec.org === e.org) {
        if (!isObj(v) || v[RID] !== e.id) out.push(`${where}: visible ${rec.key} not returned: ${short(v)}`);
      } else if (v !== null) {
        out.push(`${where}: ${rec ? `hidden ${rec.key} (${rec.org} ${rec.kind}, ${rec.why})` : e.id} gave ${short(v)}, expected null`);
      }
      return;
    }
    case "page": {
      if (!isObj(v) || !Array.isArray(v.nodes) || !isObj(v.pi)) {
        out.push(`${where}: no page: ${short(v)}`);
        return;
      }
      const all = expectedPage(w, e.org, e.kind, e.after ? decodeCursor(e.after) : null);
      const want = all.slice(0, e.first);
      const got = v.nodes.map((n) => (isObj(n) ? n[RID] : n));
      if (JSON.stringify(got) !== JSON.stringify(want.map((r) => r.id))) {
        out.push(
          `${where}: ${e.org} ${e.kind} page (first ${e.first}${e.after ? `, after ${w.byUuid.get(decodeCursor(e.after).id)?.key}` : ""}) was ${short(got.map((id) => w.byId.get(id as string)?.key ?? id))}, expected ${short(want.map((r) => r.key))}`,
        );
      }
      if (v.pi.hasNextPage !== all.length > e.first)
        out.push(`${where}: hasNextPage ${v.pi.hasNextPage}, expected ${all.length > e.first} (${all.length} visible after the cursor, first ${e.first})`);
      const last = want.at(-1);
      if (last && v.pi.endCursor !== cursorAt(last)) out.push(`${where}: endCursor ${short(v.pi.endCursor)} is not the last visible node's`);
      if (!last && v.pi.endCursor !== null) out.push(`${where}: endCursor ${short(v.pi.endCursor)} on an empty page`);
      return;
    }
    case "search": {
      if (!isObj(v) || !Array.isArray(v.hits) || !isObj(v.pi)) {
        out.push(`${where}: no search result: ${short(v)}`);
        return;
      }
      const all = expectedHits(w, e.term, e.platform);
      const allIds = new Set(all.map((r) => r.id));
      const got: string[] = [];
      for (const h of v.hits) {
        if (!isObj(h)) continue;
        const id = h.recordId as string;
        got.push(id);
        const rec = w.byId.get(id);
        // Fuzzy search may add similar handles; they too must be records the attacker may know of.
        if (!rec || rec.kind !== "identity" || rec.searchLevel === "NONE" || (!e.fuzzy && !allIds.has(id))) {
          out.push(
            `${where}: search ${JSON.stringify(e.term)}${e.fuzzy ? " (fuzzy)" : ""} hit ${rec ? `${rec.key} (${rec.org} ${rec.kind}, ${rec.why}, expected ${rec.searchLevel})` : id}`,
          );
          continue;
        }
        const level = isObj(h.acc) ? h.acc.level : undefined;
        if (level !== rec.searchLevel) out.push(`${where}: ${rec.key} hit at ${String(level)}, expected ${rec.searchLevel}`);
        if (rec.searchLevel === "POINTER" && h.identity !== null) out.push(`${where}: POINTER hit ${rec.key} came with its identity ${short(h.identity)}`);
        if (rec.searchLevel === "FULL" && (!isObj(h.identity) || h.identity[RID] !== id))
          out.push(`${where}: FULL hit ${rec.key} without its identity: ${short(h.identity)}`);
      }
      if (new Set(got).size !== got.length) out.push(`${where}: duplicate hits ${short(got)}`);
      if (!e.fuzzy) {
        const want = Math.max(0, Math.min(e.first, all.length - e.offset));
        if (got.length !== want)
          out.push(
            `${where}: search ${JSON.stringify(e.term)} (offset ${e.offset}, first ${e.first}) hit ${short(got.map((id) => w.byId.get(id)?.key ?? id))} of ${short(all.map((r) => r.key))}`,
          );
        if (v.pi.hasNextPage !== e.offset + e.first < all.length)
          out.push(`${where}: hasNextPage ${v.pi.hasNextPage} with ${all.length} hits, offset ${e.offset}, first ${e.first}`);
      }
      return;
    }
    case "hubList": {
      if (!isObj(v) || !Array.isArray(v.nodes) || !isObj(v.pi)) {
        out.push(`${where}: no list: ${short(v)}`);
        return;
      }
      const all = expectedHubList(w, e.kind, e.filter, e.after);
      const want = all.slice(0, e.first);
      const got = v.nodes.map((n) => (isObj(n) ? n[RID] : n));
      if (JSON.stringify(got) !== JSON.stringify(want.map((r) => r.id))) {
        out.push(
          `${where}: hub ${e.kind} list ${JSON.stringify(e.filter)} (first ${e.first}${e.after ? `, after ${w.byId.get(e.after.id)?.key}` : ""}) was ${short(got.map((id) => w.byId.get(id as string)?.key ?? id))}, expected ${short(want.map((r) => r.key))}`,
        );
      }
      if (v.pi.hasNextPage !== all.length > e.first) out.push(`${where}: hasNextPage ${v.pi.hasNextPage}, expected ${all.length > e.first}`);
      if (JSON.stringify(v.unavailableOrgs) !== "[]") out.push(`${where}: unavailableOrgs ${short(v.unavailableOrgs)}`);
      const last = want.at(-1);
      if (last) {
        const k = decodeHubCursor(v.pi.endCursor);
        const t = e.kind === "identity" ? (last.lastSeen?.getTime() ?? 0) : last.createdAt.getTime();
        if (!k || k.id !== last.id || k.t !== t) out.push(`${where}: endCursor ${short(v.pi.endCursor)} is not the last visible node's`);
      }
      return;
    }
    case "graph": {
      if (!isObj(v) || !Array.isArray(v.nodes) || !Array.isArray(v.edges)) {
        out.push(`${where}: no graph: ${short(v)}`);
        return;
      }
      const want = expectedGraph(w, e.rootId, e.depth, e.types);
      const nodes = v.nodes.map((n) => (isObj(n) ? n[RID] : n)) as string[];
      const edges = v.edges.map((n) => (isObj(n) ? n[RID] : n)) as string[];
      const keys = (ids: Iterable<string>) => [...ids].map((id) => w.byId.get(id)?.key ?? id).sort();
      const root = w.byId.get(e.rootId)!;
      if (JSON.stringify(keys(nodes)) !== JSON.stringify(keys(want.nodes)))
        out.push(
          `${where}: graph of ${root.key} (depth ${e.depth}${e.types ? `, ${e.types}` : ""}) nodes ${short(keys(nodes))}, expected ${short(keys(want.nodes))}`,
        );
      if (JSON.stringify(keys(edges)) !== JSON.stringify(keys(want.edges)))
        out.push(
          `${where}: graph of ${root.key} (depth ${e.depth}${e.types ? `, ${e.types}` : ""}) edges ${short(keys(edges))}, expected ${short(keys(want.edges))}`,
        );
      if (root.visible ? !isObj(v.root) || v.root[RID] !== e.rootId : v.root !== null) out.push(`${where}: graph root of ${root.key} was ${short(v.root)}`);
      if (JSON.stringify(v.unavailableOrgs) !== "[]") out.push(`${where}: unavailableOrgs ${short(v.unavailableOrgs)}`);
      return;
    }
    case "alerts": {
      if (!Array.isArray(v)) {
        out.push(`${where}: no alerts: ${short(v)}`);
        return;
      }
      for (const a of v) {
        if (!isObj(a)) continue;
        // The attacker's org searched, and is told that a covert operation holds the selector:
        // a hit on a covert record, which search itself rightly withholds.
        if (a.trigger === "SEARCH" && a.counterpartOrg === null) {
          out.push(`${where}: deconfliction alert tells the searching org that a covert record holds ${a.selector}: ${short(a)}`);
        }
      }
      return;
    }
    case "entities": {
      if (!Array.isArray(v) || v.length !== e.reps.length) {
        out.push(`${where}: _entities returned ${short(v)} for ${e.reps.length} representations`);
        return;
      }
      e.reps.forEach((rep, i) => {
        const rec = w.byId.get(rep.id);
        const readable = rec && rec.visible && rec.org === e.org && rep.__typename === `${PREFIX[rec.org]}${SUFFIX[rec.kind]}`;
        const x = v[i];
        if (readable) {
          if (!isObj(x) || x[TN] !== rep.__typename) out.push(`${where}[${i}]: visible ${rec.key} not resolved: ${short(x)}`);
        } else if (x !== null) {
          out.push(`${where}[${i}]: ${rec ? `hidden ${rec.key} (${rec.org} ${rec.kind}, ${rec.why})` : rep.id} as ${rep.__typename} resolved to ${short(x)}`);
        }
      });
      return;
    }
  }
}

const REFUSAL_CODES = new Set(["FORBIDDEN", "UNAUTHENTICATED"]);

/**
 * A subgraph that answers only the gateway refuses a direct call outright: an error, no
 * data. That is as safe as an answer with every hidden record null.
 */
export function isRefusal(c: QueryCase, res: Response): boolean {
  if (c.target === "gw") return false;
  const errors = res.errors ?? [];
  return (res.data === undefined || res.data === null) && errors.length > 0 && errors.every((e) => REFUSAL_CODES.has(String(e.extensions?.code)));
}

/**
 * A failure of the server rather than an answer: INTERNAL (masked) or a time-out. It
 * discloses nothing, so it is not a leak, but the operation's expectations cannot be checked.
 */
export function isTransient(res: Response): boolean {
  const errors = res.errors ?? [];
  return errors.length > 0 && errors.every((e) => e.extensions?.code === "INTERNAL" || e.extensions?.code === "TIMEOUT");
}

/** All violations of one response; `request` is the operation text and variables as sent. */
export function check(w: World, c: QueryCase, request: string, res: Response, searched: Searched): string[] {
  const out: string[] = [];
  rawChecks(w, c.target, request, res.raw, out, searched);
  if (isRefusal(c, res)) return out;
  walk(w, res.data, out, "data", !c.purpose);
  // A syntax or validation error is the client's: HTTP 4xx. (Server failures are counted apart.)
  if (res.status >= 500 && !isTransient(res)) out.push(`HTTP ${res.status} for ${short(res.errors?.map((e) => e.extensions?.code))}`);
  if (isTransient(res)) return out;
  if (c.valid) {
    if (res.errors?.length) out.push(`errors on a valid operation: ${short(res.errors)}`);
    for (const e of c.expects) checkExpect(w, e, res.data, out);
  } else if (c.mustFail && !res.errors?.length) {
    out.push(`an invalid operation succeeded: ${short(res.data)}`);
  }
  return out;
}
