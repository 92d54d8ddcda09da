/**
 * The access rules, written out independently of packages/policy (decide.ts is NOT used
 * here) and of the services' code: the authorization matrix compares what the running
 * federation returns against this specification.
 */

export const CLASSIFICATIONS = ["OFFICIAL", "OFFICIAL_SENSITIVE", "SECRET"] as const;
export type Cls = (typeof CLASSIFICATIONS)[number];
export const ROLES = ["OFFICER", "ANALYST", "FORCE_ADMIN", "POLICY_ADMIN", "SERVICE"] as const;
export type Role = (typeof ROLES)[number];
export type Level = "FULL" | "POINTER" | "NONE";
export type Kind = "identity" | "forum" | "link";

const rank = (c: Cls) => CLASSIFICATIONS.indexOf(c);
const atLeast = (clearance: Cls, classification: Cls) => rank(clearance) >= rank(classification);

export interface SpecPrincipal {
  org: string;
  role: Role;
  clearance: Cls;
  covert: boolean;
}

export interface SpecRecord {
  owner: string;
  kind: Kind;
  classification: Cls;
  handling: "P" | "C";
  /** The orgs named by handling conditions (code C). */
  conditionsOrgs: string[];
  covert: boolean;
  reviewDue: Date | null;
}

export interface SpecAgreement {
  members: string[];
  kinds: string[];
  ceiling: Cls;
  status: "ACTIVE" | "SUSPENDED" | "REVOKED";
  validFrom: Date;
  validTo: Date | null;
}

/** ACTIVE, and now within [validFrom, validTo). */
export const inForce = (a: SpecAgreement, now: Date) =>
  a.status === "ACTIVE" && a.validFrom.getTime() <= now.getTime() && (a.validTo === null || now.getTime() < a.validTo.getTime());

const OWN_ORG_READERS: Role[] = ["OFFICER", "ANALYST", "FORCE_ADMIN", "SERVICE"];

/**
 * The level a principal gets of a record. `search` is the hub-search path, the only one
 * that may answer POINTER; every other path answers FULL or NONE.
 */
export function expectedLevel(p: SpecPrincipal, r: SpecRecord, agreements: SpecAgreement[], now: Date, search: boolean): Level {
  if (p.org === r.owner) {
    if (!OWN_ORG_READERS.includes(p.role)) return "NONE";
    if (!atLeast(p.clearance, r.classification)) return "NONE";
    if (r.covert && !p.covert) return "NONE";
    return "FULL"; // a past review date does not hide a record from its owner
  }
  if (r.covert) return "NONE";
  if (p.role !== "ANALYST") return "NONE";
  const partners = agreements.filter((a) => inForce(a, now) && a.members.includes(r.owner) && a.members.includes(p.org));
  const pastReview = r.reviewDue !== null && r.reviewDue.getTime() <= now.getTime();
  const handlingAllows = r.handling === "P" || r.conditionsOrgs.includes(p.org);
  const agreementAllows = partners.some((a) => a.kinds.includes(r.kind) && atLeast(a.ceiling, r.classification));
  if (atLeast(p.clearance, r.classification) && !pastReview && handlingAllows && agreementAllows) return "FULL";
  if (search && partners.length > 0) return "POINTER";
  return "NONE";
}

/**
 * A link end: the org its id names, and the record that id names there (null when it names
 * none, e.g. an erased record).
 */
export interface SpecEnd {
  org: string;
  record: SpecRecord | null;
}

/** The records named by the ends of a link that belong to the link's own org. */
const ownOrgEnds = (link: SpecRecord, ends: SpecEnd[]): SpecRecord[] =>
  ends.filter((e) => e.org === link.owner).flatMap((e) => (e.record === null ? [] : [e.record]));

/**
 * The write rule: a link may be recorded only if it is at least as covert and at least as
 * highly classified as each of its ends that belongs to its own org. Ends of other orgs
 * set no minimum.
 */
export function mayRecordLink(link: SpecRecord, ends: SpecEnd[]): boolean {
  return ownOrgEnds(link, ends).every((e) => (link.covert || !e.covert) && atLeast(link.classification, e.classification));
}

/**
 * The level a principal gets of a link, on every read path: the level its own markings
 * give, except NONE when an end of the link's own org names a record the principal cannot
 * read in full. Ends of other orgs, and ends that name no record, do not change it.
 */
export function expectedLinkLevel(p: SpecPrincipal, link: SpecRecord, ends: SpecEnd[], agreements: SpecAgreement[], now: Date): Level {
  const byMarkings = expectedLevel(p, link, agreements, now, false);
  if (byMarkings !== "FULL") return byMarkings;
  const hiddenEnd = ownOrgEnds(link, ends).some((e) => expectedLevel(p, e, agreements, now, false) !== "FULL");
  return hiddenEnd ? "NONE" : "FULL";
}
