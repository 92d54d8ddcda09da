/**
 * The access rules, written out independently of packages/policy (decide.ts is NOT used
 * here): the authorization matrix compares what the running federation returns against
 * this specification.
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
