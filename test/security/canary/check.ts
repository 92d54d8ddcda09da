/**
 * What every response to the attacker must satisfy. Returns the violations found (empty
 * when the response is safe), each a one-line description.
 */
import { normaliseHandle } from "@interforce/domain";
import { CANARY_RE, cursorAt, decodeCursor, expectedIdentityLinks, expectedPage, RECORD_TYPENAMES, PREFIX, SUFFIX, type World } from "./world.js";
import { expectedAssignments, expectedSightings } from "./world.js";
import { expectedGraph, expectedHits, expectedHubList, RID, TN, type Expect, type QueryCase } from "./gen.js";
import { openHubCursor } from "./hub-cursor.js";
import { counterpartNamed, isAuditor, markLevel, partners, readLevel, type RecLike } from "./principals.js";

const decodeHubCursor = (c: unknown) => openHubCursor(c) as { t: number; id: string } | null;

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
    if (req.includes(m[0].toLowerCase())) continue;
    const owner = w.seeded.canaryKey.get(m[0].toUpperCase());
    // Seeded: the viewer's view says; created by the fuzz's own writes: the rule of what was created.
    if (owner && (w.visibleOwners.has(owner.key) || w.seeded.created.get(owner.key)?.sees(w.principal))) continue;
    const created = owner && w.seeded.created.get(owner.key);
    const near = raw.slice(Math.max(0, m.index! - 160), m.index! + 40);
    out.push(
      `canary ${m[0]} of ${created ? `${created.desc} (created by the fuzz)` : (w.canaryOwner.get(m[0].toUpperCase()) ?? "?")} in the response (near ${JSON.stringify(near)})`,
    );
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
  // The force's auditor reads other orgs' record ids in its force's events.
  const auditor = isAuditor(w.principal) && /auditTrail/.test(request);
  const mayPoint = /\bsearch\(|requestAccess|accessRequests|monitoringOverview/.test(request);
  for (const r of w.records) {
    if (r.visible || !raw.includes(r.uuid) || request.includes(r.uuid)) continue;
    if (auditor && r.org !== w.principal.org) continue;
    // A force subgraph called directly answers a link's ends by their keys: the end, of another
    // org than the link's, of a link the attacker may read (a link's own org withholds the link
    // when the attacker may not read an end of that org). Through the gateway a reference has
    // no id: a hidden end's id is never in the answer.
    if (target !== "gw" && visibleForeignLinkEnds(w).has(r.id)) continue;
    if (w.pointerIds.has(r.id) && mayPoint) continue; // hit/no-hit by design
    out.push(`id of hidden ${r.key} (${r.org} ${r.kind}, ${r.why}) in the response`);
  }
  for (const o of w.owned) {
    if (auditor && o.org !== w.principal.org) continue;
    if (!o.visible && raw.includes(o.uuid) && !request.includes(o.uuid)) out.push(`id of hidden ${o.kind} ${o.key} (${o.org}) in the response`);
  }
  for (const r of w.requests) if (!r.visible && raw.includes(r.id) && !request.includes(r.id)) out.push(`id of hidden access request ${r.key} in the response`);
  for (const a of w.alerts) {
    if (!a.known && raw.includes(a.id) && !request.includes(a.id))
      out.push(`id of hidden deconfliction alert ${a.id} (${a.holderOrg}/${a.otherOrg} ${a.selector}) in the response`);
  }
  for (const a of w.agreements)
    if (!a.visible && raw.includes(a.id) && !request.includes(a.id)) out.push(`id of agreement ${a.key} (${a.members.join(", ")}) in the response`);
}

/** Tagged lists on a record: an identity's sightings, a forum's monitoring (see ownedListArb). */
const OWNED_KEY = /^(MN|SG)(\d+)_\d+$/;

/** A page of assignments or sightings: only ones the viewer may know of, as many as were asked for of them. */
function ownedPage(w: World, v: unknown, want: { id: string; key: string }[], first: number, where: string, what: string, out: string[]): void {
  if (!isObj(v) || !Array.isArray(v.nodes)) {
    out.push(`${where}: no ${what} page: ${short(v)}`);
    return;
  }
  const got = v.nodes.map((n) => (isObj(n) ? n[RID] : n)) as string[];
  const wantIds = new Set(want.map((x) => x.id));
  const keyOf = (id: string) => w.owned.find((o) => o.id === id)?.key ?? id;
  const extra = got.filter((id) => !wantIds.has(id));
  if (extra.length) out.push(`${where}: ${what} listed ${short(extra.map(keyOf))} it may not know of (expected among ${short(want.map((x) => x.key))})`);
  if (new Set(got).size !== got.length) out.push(`${where}: duplicate ${what} ${short(got.map(keyOf))}`);
  if (got.length !== Math.min(first, want.length))
    out.push(`${where}: ${what} listed ${short(got.map(keyOf))}, expected ${Math.min(first, want.length)} of ${short(want.map((x) => x.key))}`);
  const pi = isObj(v.pi) ? v.pi : null;
  if (pi && pi.hasNextPage !== want.length > first)
    out.push(`${where}: ${what} hasNextPage ${String(pi.hasNextPage)} with ${want.length} to know of, first ${first}`);
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
    const created = w.seeded.created.get(rid);
    if (created ? !created.sees(w.principal) || noContent : !o || !o.visible || noContent) {
      for (const [k, x] of Object.entries(v)) {
        if (k === TN || k === RID || emptyish(x) || x === rid || x === tn) continue;
        out.push(
          `${path}: ${o ? `hidden ${o.kind} ${o.key} (${o.org})` : `unknown ${tn} ${rid}`}${noContent && o?.visible ? " read without a purpose" : ""} returned with ${k}=${short(x)}`,
        );
      }
    }
  }
  const createdRec = typeof rid === "string" ? w.seeded.created.get(rid) : undefined;
  if (typeof tn === "string" && RECORD_TYPENAMES.has(tn) && typeof rid === "string" && createdRec) {
    if (!createdRec.sees(w.principal) || noContent) {
      for (const [k, x] of Object.entries(v)) {
        if (k === TN || k === RID || emptyish(x) || x === rid || x === tn) continue;
        out.push(`${path}: ${createdRec.desc} (created by the fuzz, hidden from the reader) returned with ${k}=${short(x)}`);
      }
    }
  } else if (typeof tn === "string" && RECORD_TYPENAMES.has(tn) && typeof rid === "string") {
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
        const o = OWNED_KEY.exec(k);
        if (o) {
          const first = Number(o[2]);
          if (o[1] === "MN" && rec.kind === "forum")
            ownedPage(w, x, expectedAssignments(w, { forum: rid }), first, `${path}.${k}`, `monitoring of ${rec.key}`, out);
          else if (o[1] === "SG" && rec.kind === "identity")
            ownedPage(w, x, expectedSightings(w, { identity: rid }), first, `${path}.${k}`, `sightings of ${rec.key}`, out);
          else out.push(`${path}.${k}: unexpected ${short(x)}`);
          continue;
        }
        const m = LINKS_KEY.exec(k);
        if (!m || x === null) continue;
        if (rec.kind !== "identity" || !isObj(x) || !Array.isArray(x.nodes)) {
          out.push(`${path}.${k}: unexpected ${short(x)}`);
          continue;
        }
        const got = x.nodes.map((l) => (isObj(l) ? l[RID] : l));
        const all = expectedIdentityLinks(w, rid);
        const first = Number(m[1]);
        const want = all.slice(0, first).map((l) => l.id);
        if (JSON.stringify(got) !== JSON.stringify(want)) {
          out.push(
            `${path}.${k}: links of ${rec.key} were ${short(got.map((id) => w.byId.get(id as string)?.key ?? id))}, expected ${short(want.map((id) => w.byId.get(id)!.key))}`,
          );
        }
        const pi = isObj(x.pi) ? x.pi : null;
        if (pi && pi.hasNextPage !== all.length > first)
          out.push(`${path}.${k}: links of ${rec.key} hasNextPage ${String(pi.hasNextPage)} with ${all.length} to show, first ${first}`);
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
      const me = w.principal;
      for (const a of v) {
        if (!isObj(a)) continue;
        // The viewer's org searched (it holds no record), and is told that a covert operation, or
        // an org it has no agreement with, holds the selector: search itself rightly withholds those.
        if (a.trigger === "SEARCH" && a.yourRecordId === null && a.counterpartOrg === null) {
          out.push(`${where}: deconfliction alert tells the searching org that a covert or non-partner record holds ${a.selector}: ${short(a)}`);
        }
        if (typeof a.counterpartOrg === "string" && !partners(w.seeded.agreements, me.org, a.counterpartOrg)) {
          out.push(`${where}: deconfliction alert names ${a.counterpartOrg}, which has no agreement in force with ${me.org}: ${short(a)}`);
        }
        if (typeof a.yourRecordId === "string") {
          const rec = w.byId.get(a.yourRecordId);
          if (rec && (rec.org !== me.org || !rec.visible))
            out.push(`${where}: deconfliction alert on ${rec.key} (${rec.org} ${rec.kind}, ${rec.why}), which ${me.label} may not read as its own`);
        }
        // One raised when the world was seeded: the rules say whether, and from which side.
        const known = w.alerts.find((x) => x.id === a.id);
        if (known && known.side === null)
          out.push(
            `${where}: deconfliction alert ${String(a.id)} (${known.holderOrg}/${known.otherOrg}, ${known.selector}) shown, which ${me.label} may not see`,
          );
        if (known?.side) {
          const named = counterpartNamed(known, known.side, w.seeded.agreements);
          const counterpart = known.side === "holder" ? known.otherOrg : known.holderOrg;
          if (named ? a.counterpartOrg !== counterpart : a.counterpartOrg !== null)
            out.push(`${where}: alert ${String(a.id)} names ${String(a.counterpartOrg)}, expected ${named ? counterpart : "the desk"}`);
        }
      }
      return;
    }
    case "owned": {
      const want =
        e.kind === "monitoring"
          ? expectedAssignments(w, { org: e.org }).filter((o) => !e.forum || (o.about === e.forum && w.byId.get(e.forum)?.visible))
          : expectedSightings(w, { org: e.org });
      const what = `${e.org} ${e.kind === "monitoring" ? "monitoringAssignments" : "sightings"}${e.forum ? ` on ${w.byId.get(e.forum)?.key ?? e.forum}` : ""}`;
      ownedPage(w, v, want, e.first, where, what, out);
      return;
    }
    case "forbidden":
    case "write":
    case "lenient":
      return; // checked with the errors
    case "explain": {
      const rec = w.byId.get(e.id);
      if (!rec || rec.org !== e.org || !rec.visible) {
        if (v !== null)
          out.push(
            `${where}: explainAccess of ${rec ? `${rec.key} (${rec.org} ${rec.kind}, ${rec.why})` : e.id}, which the admin may not read, answered ${short(v)}`,
          );
        return;
      }
      if (!isObj(v) || !isObj(v.read) || !isObj(v.search)) {
        out.push(`${where}: explainAccess of ${rec.key}, which the admin may read, answered ${short(v)}`);
        return;
      }
      const base = new Map(w.seeded.records.map((r) => [r.id, r as RecLike]));
      const ags = w.seeded.agreements;
      const read = markLevel(e.as, rec, ags, false).level;
      const readWithEnds = readLevel(e.as, rec, (id) => base.get(id), ags).level;
      if (v.read.level !== read && v.read.level !== readWithEnds)
        out.push(`${where}: explainAccess(${rec.key}, as ${e.as.label}) read ${String(v.read.level)}, expected ${read}`);
      if (rec.kind === "identity") {
        const search = markLevel(e.as, rec, ags, true).level;
        if (v.search.level !== search) out.push(`${where}: explainAccess(${rec.key}, as ${e.as.label}) search ${String(v.search.level)}, expected ${search}`);
      }
      return;
    }
    case "agreements": {
      if (!Array.isArray(v)) {
        out.push(`${where}: no agreements: ${short(v)}`);
        return;
      }
      const got = v.map((a) => (isObj(a) ? a.id : a)).sort();
      const want = w.agreements
        .filter((a) => a.visible)
        .map((a) => a.id)
        .sort();
      const name = (id: unknown) => w.agreements.find((a) => a.id === id)?.key ?? id;
      if (JSON.stringify(got) !== JSON.stringify(want)) out.push(`${where}: agreements ${short(got.map(name))}, expected ${short(want.map(name))}`);
      return;
    }
    case "agreement": {
      const a = w.agreements.find((x) => x.id === e.id);
      if (a?.visible ? !isObj(v) || v.id !== e.id : v !== null)
        out.push(`${where}: agreement ${a ? `${a.key} (${a.members.join(", ")})` : e.id} gave ${short(v)}, expected ${a?.visible ? "it" : "null"}`);
      return;
    }
    case "requests": {
      if (!Array.isArray(v)) {
        out.push(`${where}: no access requests: ${short(v)}`);
        return;
      }
      const got = v.map((r) => (isObj(r) ? r.id : r)).sort();
      const want = w.requests
        .filter((r) => r.visible)
        .map((r) => r.id)
        .sort();
      const name = (id: unknown) => w.requests.find((r) => r.id === id)?.key ?? id;
      if (JSON.stringify(got) !== JSON.stringify(want)) out.push(`${where}: access requests ${short(got.map(name))}, expected ${short(want.map(name))}`);
      return;
    }
    case "audit": {
      if (!isObj(v) || !Array.isArray(v.nodes)) {
        out.push(`${where}: no audit page: ${short(v)}`);
        return;
      }
      const me = w.principal;
      const rec = e.recordId ? w.byId.get(e.recordId) : undefined;
      const own = e.recordId ? w.owned.find((o) => o.id === e.recordId) : undefined;
      const mine = (rec && rec.org === e.org) || (own && own.org === e.org);
      if (isAuditor(me)) {
        if (mine && v.nodes.length === 0) out.push(`${where}: the auditor got no event about ${rec?.key ?? own!.key}`);
        return;
      }
      const readable = rec ? rec.visible : own?.visible;
      if (mine && !readable && v.nodes.length)
        out.push(`${where}: ${v.nodes.length} audit events about ${rec ? `${rec.key} (${rec.why})` : own!.key}, which ${me.label} may not read`);
      if (mine && readable && !v.nodes.length) out.push(`${where}: no audit event about ${rec?.key ?? own!.key}, which ${me.label} may read`);
      for (const n of v.nodes) {
        if (!isObj(n) || !Array.isArray(n.records)) continue;
        for (const r of n.records) {
          if (!isObj(r) || r.id === "[withheld]") continue;
          const known = w.byId.get(r.id as string);
          const ownedRec = w.owned.find((o) => o.id === r.id);
          const created = w.seeded.created.get(r.id as string);
          const ok = known ? known.visible && known.org === e.org : ownedRec ? ownedRec.visible && ownedRec.org === e.org : created ? created.sees(me) : true;
          if (!ok)
            out.push(
              `${where}: audit event ${String(n.seq)} (${String(n.operation)}) names ${known ? `${known.key} (${known.org}, ${known.why})` : ownedRec ? ownedRec.key : String(r.id)} to ${me.label}`,
            );
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
    // Errors only where a refusal is expected: an action the viewer may not attempt, or a write refused.
    const refusals = c.expects.filter(
      (e): e is Extract<Expect, { t: "forbidden" | "write" | "lenient" }> =>
        e.t === "forbidden" || e.t === "lenient" || (e.t === "write" && e.outcome !== "ok"),
    );
    // At the field, below it, or at the namespace that holds it (a namespace's own action); a
    // refusal of the whole operation has no path (refused roots are alone in their operation).
    const under = (err: NonNullable<Response["errors"]>[number], p: string[]) =>
      !Array.isArray(err.path) || err.path.length === 0 || p.every((k, i) => err.path![i] === k) || err.path.every((k, i) => p[i] === k);
    const unexpected = (res.errors ?? []).filter((err) => !refusals.some((e) => under(err, e.path)));
    if (unexpected.length) out.push(`errors on a valid operation: ${short(unexpected)}`);
    for (const e of c.expects) {
      if (e.t === "forbidden" || (e.t === "write" && e.outcome === "fail")) {
        const mine = (res.errors ?? []).filter((err) => under(err, e.path));
        if (!mine.length)
          out.push(
            `${e.path.join(".")}: ${e.t === "forbidden" ? `${w.principal.label} was not refused` : "a write that must be refused"} succeeded: ${short(at(res.data, e.path))}`,
          );
        else if (e.t === "forbidden" && !mine.some((err) => err.extensions?.code === "FORBIDDEN"))
          out.push(`${e.path.join(".")}: refused with ${short(mine.map((x) => x.extensions?.code))}, expected FORBIDDEN`);
        const answered = at(res.data, e.path);
        if (answered !== null && answered !== undefined) out.push(`${e.path.join(".")}: refused, yet answered ${short(answered)}`);
      } else if (e.t === "write" && e.outcome === "ok") {
        if (at(res.data, e.path) == null) out.push(`${e.path.join(".")}: a write ${w.principal.label} may make was not answered`);
      }
    }
    // Data behind a refusal is null: its expectations cannot hold.
    if (!c.expects.some((e) => e.t === "forbidden")) for (const e of c.expects) checkExpect(w, e, res.data, out);
  } else if (c.mustFail && !res.errors?.length) {
    out.push(`an invalid operation succeeded: ${short(res.data)}`);
  }
  return out;
}
