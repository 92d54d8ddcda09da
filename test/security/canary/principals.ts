/**
 * Every kind of principal the canary fuzz attacks as, and what each may know of the seeded
 * world. The rules are written out here from README's Security section and DESIGN §5, by
 * hand: neither @interforce/policy nor any service code is imported (nor test/authz, which
 * other suites own), so a rule the product gets wrong is not also wrong here.
 *
 * - A record: its owner's OFFICER/ANALYST/FORCE_ADMIN/SERVICE read it up to their clearance,
 *   a covert one only with the covert claim (a past review date does not hide it from them).
 *   Another org: never covert; ANALYSTs only, when an agreement in force binds both orgs,
 *   covers the kind and a ceiling at or above the classification, handling P (or C naming the
 *   reader's org), clearance at or above the classification, and not past review. A hub
 *   search otherwise answers POINTER to an analyst of a partner org, NONE to everyone else.
 * - A link is withheld whole when an end of its own org is one the reader may not read.
 * - A monitoring assignment: clearance for its classification; its org's readers (covert ones
 *   with the claim), the CEOP desk (CEOP ANALYST/FORCE_ADMIN; covert ones with the claim),
 *   partner orgs' analysts (overt only).
 * - A sighting: readers cleared for it, of the sighting org, or of the identity's owner
 *   (through the identity's `sightings`, which needs the identity readable).
 * - Deconfliction alerts: ANALYST/FORCE_ADMIN of a side whose own record they may read (a
 *   covert side needs the claim); a searcher is never told of a covert holder or of a
 *   non-partner. The counterpart is named only if it is not covert and the orgs are partners.
 *   The desk list: CEOP desk with the claim, alerts with a covert side or non-partner orgs.
 * - Access requests: the requester (org and sub) and the owner's FORCE_ADMINs who may read
 *   the record. Agreements: POLICY_ADMIN all, others those naming their org.
 * - Admin reads (explainAccess, auditTrail): the force's FORCE_ADMIN; need-to-know binds
 *   them (explainAccess null for a record the admin may not read; audit events only about
 *   records it may read); the auditor (SECRET, covert claim) reads other orgs' ids in events.
 */
export type Org = "KENT" | "NORFOLK" | "ESSEX" | "CEOP";
export type Kind = "identity" | "forum" | "link";

export const ROLES = ["OFFICER", "ANALYST", "FORCE_ADMIN", "POLICY_ADMIN", "SERVICE"] as const;
export type Role = (typeof ROLES)[number];
export const CLEARANCES = ["OFFICIAL", "OFFICIAL_SENSITIVE", "SECRET"] as const;
export type Cls = (typeof CLEARANCES)[number];
export type Level = "FULL" | "POINTER" | "NONE";

const rank = (c: Cls) => CLEARANCES.indexOf(c);
export const cleared = (clearance: Cls, classification: Cls) => rank(clearance) >= rank(classification);

export interface Principal {
  org: Org;
  role: Role;
  clearance: Cls;
  covert: boolean;
  sub: string;
  /** e.g. "KENT FORCE_ADMIN OFFICIAL" or "CEOP ANALYST SECRET +covert". */
  label: string;
}

const CLS_SHORT: Record<Cls, string> = { OFFICIAL: "o", OFFICIAL_SENSITIVE: "os", SECRET: "s" };

export function principalOf(org: Org, role: Role, clearance: Cls, covert: boolean): Principal {
  return {
    org,
    role,
    clearance,
    covert,
    sub: `canary.${role.toLowerCase()}.${CLS_SHORT[clearance]}.${covert ? "c" : "n"}@${org.toLowerCase()}`,
    label: `${org} ${role} ${clearance}${covert ? " +covert" : ""}`,
  };
}

/** The 120 principals: 4 orgs × 5 roles × 3 clearances × with and without the covert claim. */
export function allPrincipals(orgs: readonly Org[]): Principal[] {
  return orgs.flatMap((org) => ROLES.flatMap((role) => CLEARANCES.flatMap((cls) => [false, true].map((c) => principalOf(org, role, cls, c)))));
}

/** The record markings the rules look at. */
export interface Marks {
  classification: Cls;
  handling: "P" | "C";
  conditionsOrgs: string[];
  covert: boolean;
  reviewDue: Date | null;
}

export interface AgreementFacts {
  key: string;
  members: Org[];
  kinds: Kind[];
  ceiling: Cls;
  status: "ACTIVE" | "SUSPENDED" | "REVOKED";
}

/** Why a principal may not read a record (for reports), or "visible". */
export type Reason =
  | "visible"
  | "role" // the principal's role reads nothing of this (POLICY_ADMIN; non-analysts of other orgs)
  | "clearance"
  | "covert"
  | "handlingC"
  | "reviewPast"
  | "agreement" // no agreement in force binds the orgs, or none covers the kind and classification
  | "hiddenEnd";

export const OWN_READERS: readonly Role[] = ["OFFICER", "ANALYST", "FORCE_ADMIN", "SERVICE"];
export const WRITERS: readonly Role[] = ["OFFICER", "FORCE_ADMIN", "SERVICE"];
export const ALERT_ROLES: readonly Role[] = ["ANALYST", "FORCE_ADMIN"];
export const DESK_ORG: Org = "CEOP";

export const partners = (ags: readonly AgreementFacts[], a: string, b: string) =>
  a !== b && ags.some((ag) => ag.status === "ACTIVE" && ag.members.includes(a as Org) && ag.members.includes(b as Org));

/** A record's level for the principal, by its own markings. `search`: the hub-search path, the only one that answers POINTER. */
export function markLevel(
  p: Principal,
  r: { org: Org; kind: Kind; marks: Marks },
  ags: readonly AgreementFacts[],
  search: boolean,
  now = Date.now(),
): { level: Level; why: Reason } {
  const m = r.marks;
  if (p.org === r.org) {
    if (!OWN_READERS.includes(p.role)) return { level: "NONE", why: "role" };
    if (!cleared(p.clearance, m.classification)) return { level: "NONE", why: "clearance" };
    if (m.covert && !p.covert) return { level: "NONE", why: "covert" };
    return { level: "FULL", why: "visible" };
  }
  if (m.covert) return { level: "NONE", why: "covert" };
  if (p.role !== "ANALYST") return { level: "NONE", why: "role" };
  const bind = ags.filter((a) => a.status === "ACTIVE" && a.members.includes(p.org) && a.members.includes(r.org));
  const pointer = search && bind.length > 0 ? "POINTER" : "NONE";
  if (!cleared(p.clearance, m.classification)) return { level: pointer, why: "clearance" };
  if (m.reviewDue && m.reviewDue.getTime() <= now) return { level: pointer, why: "reviewPast" };
  if (m.handling === "C" && !m.conditionsOrgs.includes(p.org)) return { level: pointer, why: "handlingC" };
  if (!bind.some((a) => a.kinds.includes(r.kind) && cleared(a.ceiling, m.classification))) return { level: pointer, why: "agreement" };
  return { level: "FULL", why: "visible" };
}

export interface RecLike {
  id: string;
  org: Org;
  kind: Kind;
  marks: Marks;
  from?: string;
  toIdentity?: string;
  toForum?: string;
}

/** A record's level on a read path: a link is NONE when an end of its own org is not FULL. */
export function readLevel(p: Principal, r: RecLike, byId: (id: string) => RecLike | undefined, ags: readonly AgreementFacts[]): { level: Level; why: Reason } {
  const own = markLevel(p, r, ags, false);
  if (r.kind !== "link" || own.level !== "FULL") return own;
  for (const end of [r.from, r.toIdentity, r.toForum]) {
    const e = end ? byId(end) : undefined;
    if (e && e.org === r.org && markLevel(p, e, ags, false).level !== "FULL") return { level: "NONE", why: "hiddenEnd" };
  }
  return own;
}

/** The owner's principal reading its own record in full (what alerts, requests and admins need). */
export const ownerReadsInFull = (p: Principal, r: RecLike | undefined, byId: (id: string) => RecLike | undefined) =>
  !!r && p.org === r.org && readLevel(p, r, byId, []).level === "FULL";

export const isDesk = (p: Principal) => p.org === DESK_ORG && ALERT_ROLES.includes(p.role);

export function seesAssignment(p: Principal, a: { org: Org; covert: boolean; classification: Cls }, ags: readonly AgreementFacts[]): boolean {
  if (!cleared(p.clearance, a.classification)) return false;
  if (p.org === a.org) return OWN_READERS.includes(p.role) && (!a.covert || p.covert);
  if (isDesk(p)) return !a.covert || p.covert;
  if (a.covert) return false;
  return p.role === "ANALYST" && partners(ags, p.org, a.org);
}

/** A sighting, through the gateway: the sighting org's own list, or the identity's `sightings` (identity readable). */
export function seesSighting(p: Principal, s: { org: Org; classification: Cls }, identity: { org: Org; readable: boolean }): boolean {
  if (!OWN_READERS.includes(p.role) || !cleared(p.clearance, s.classification)) return false;
  if (p.org === s.org) return true;
  return p.org === identity.org && identity.readable;
}

export interface AlertFacts {
  id: string;
  trigger: "RECORD" | "SEARCH";
  selector: string;
  holderOrg: Org;
  holderRecordId: string;
  holderCovert: boolean;
  otherOrg: Org;
  otherRecordId: string;
  otherCovert: boolean;
}

export function alertSide(p: Principal, a: AlertFacts, byId: (id: string) => RecLike | undefined, ags: readonly AgreementFacts[]): "holder" | "other" | null {
  if (!ALERT_ROLES.includes(p.role)) return null;
  const ownOk = (id: string) => id === "" || ownerReadsInFull(p, byId(id), byId);
  if (p.org === a.holderOrg) return (!a.holderCovert || p.covert) && ownOk(a.holderRecordId) ? "holder" : null;
  if (p.org === a.otherOrg) {
    if (a.otherCovert && !p.covert) return null;
    if (a.trigger === "SEARCH" && (a.holderCovert || !partners(ags, a.holderOrg, a.otherOrg))) return null;
    return ownOk(a.otherRecordId) ? "other" : null;
  }
  return null;
}

export const counterpartNamed = (a: AlertFacts, side: "holder" | "other", ags: readonly AgreementFacts[]) =>
  !(side === "holder" ? a.otherCovert : a.holderCovert) && partners(ags, a.holderOrg, a.otherOrg);

export const deskLists = (a: AlertFacts, ags: readonly AgreementFacts[]) => a.holderCovert || a.otherCovert || !partners(ags, a.holderOrg, a.otherOrg);

export interface RequestFacts {
  key: string;
  id: string;
  owner: Org;
  requesterOrg: Org;
  requesterSub: string;
  recordId: string;
}

export const maysDecide = (p: Principal, r: Omit<RequestFacts, "key" | "id">, byId: (id: string) => RecLike | undefined) =>
  p.org === r.owner && p.role === "FORCE_ADMIN" && ownerReadsInFull(p, byId(r.recordId), byId);

export const seesRequest = (p: Principal, r: Omit<RequestFacts, "key" | "id">, byId: (id: string) => RecLike | undefined) =>
  (p.org === r.requesterOrg && p.sub === r.requesterSub) || maysDecide(p, r, byId);

export const seesAgreement = (p: Principal, a: { members: readonly string[] }) => p.role === "POLICY_ADMIN" || a.members.includes(p.org);

/** The auditor of its force: FORCE_ADMIN, SECRET, covert claim. */
export const isAuditor = (p: Principal) => p.role === "FORCE_ADMIN" && p.clearance === "SECRET" && p.covert;

/**
 * Which principals may attempt an action at all (the catalogue README describes: a force's
 * namespace writes are its own, admin reads its FORCE_ADMIN's, the desk's lists the desk's).
 * Reads of intelligence are open to every role: what they show is decided record by record.
 */
export type Gate = { t: "any" } | { t: "write"; org: Org } | { t: "admin"; org: Org } | { t: "alerts" } | { t: "desk" } | { t: "deskCovert" } | { t: "decide" };

export function mayAttempt(p: Principal, g: Gate): boolean {
  switch (g.t) {
    case "any":
      return true;
    case "write":
      return p.org === g.org && WRITERS.includes(p.role);
    case "admin":
      return p.org === g.org && p.role === "FORCE_ADMIN";
    case "alerts":
      return ALERT_ROLES.includes(p.role);
    case "desk":
      return isDesk(p);
    case "deskCovert":
      return isDesk(p) && p.covert;
    case "decide":
      return p.role === "FORCE_ADMIN";
  }
}
