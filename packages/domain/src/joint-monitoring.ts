import { classificationRank, type Classification, type Role } from "./enums.js";
import type { Principal } from "./principal.js";

/** How much harm a forum poses; CEOP looks for HIGH forums nobody is monitoring. */
export const FORUM_RISK_LEVELS = ["LOW", "MEDIUM", "HIGH"] as const;
export type ForumRiskLevel = (typeof FORUM_RISK_LEVELS)[number];

/**
 * The national desk that brokers deconfliction. Its analysts and force admins must know of
 * covert deployments too, or two covert operations could run into each other unseen.
 */
export const DECONFLICTION_DESK_ORG = "CEOP";

/**
 * Monitoring assignments and sightings are records of the org that made them, but not
 * intelligence records of the policy (they are about another org's forum or identity), so
 * they have ids of their own kinds: `KENT:monitoring:<uuid>`, `NORFOLK:sighting:<uuid>`.
 */
export type OwnedRecordKind = "monitoring" | "sighting";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ORG = /^[A-Z][A-Z0-9_]{1,31}$/;

export function formatOwnedId(org: string, kind: OwnedRecordKind, uuid: string): string {
  return `${org}:${kind}:${uuid}`;
}

/** Returns null for anything that is not a well-formed id of that kind; never throws. */
export function parseOwnedId(id: string, kind: OwnedRecordKind): { org: string; uuid: string } | null {
  if (typeof id !== "string" || id.length > 100) return null;
  const parts = id.split(":");
  if (parts.length !== 3 || parts[1] !== kind || !ORG.test(parts[0]!) || !UUID.test(parts[2]!)) return null;
  return { org: parts[0]!, uuid: parts[2]! };
}

const READERS: readonly Role[] = ["OFFICER", "ANALYST", "FORCE_ADMIN", "SERVICE"];
const DESK_ROLES: readonly Role[] = ["ANALYST", "FORCE_ADMIN"];
const has = (p: Principal, roles: readonly Role[]) => p.roles.some((r) => roles.includes(r));
const cleared = (p: Principal, c: Classification) => classificationRank(p.clearance) >= classificationRank(c);

export interface AssignmentMarkings {
  /** The monitoring org, which owns the assignment. */
  org: string;
  covert: boolean;
  classification: Classification;
}

/**
 * Who may know of a monitoring assignment (issue 4: "covert assignments of other orgs only to
 * CEOP's deconfliction role and the owner"). The assigning org's readers see their own
 * (covert ones only with the covert claim, as for any covert record); the desk's analysts and
 * force admins see all; analysts of a partner org (an agreement in force with the assigning
 * org: `partners`) see overt ones. Everyone needs clearance for the classification.
 * The hub lists by this rule and the assigning force resolves by it, so both agree.
 */
export function mayKnowAssignment(p: Principal, a: AssignmentMarkings, partners: boolean): boolean {
  if (!cleared(p, a.classification)) return false;
  if (p.org === DECONFLICTION_DESK_ORG && has(p, DESK_ROLES)) return true;
  if (p.org === a.org) return has(p, READERS) && (!a.covert || p.covert);
  if (a.covert) return false;
  return partners && p.roles.includes("ANALYST");
}

export interface SightingMarkings {
  /** The org that saw the identity and owns the sighting. */
  org: string;
  /** The org that owns the identity sighted. */
  identityOrg: string;
  classification: Classification;
}

/**
 * A sighting is told to the identity's owner and kept by the sighting org; nobody else learns
 * of it. The hub additionally asks the owner whether the principal may read the identity
 * itself before it shows the owner the sightings of other orgs.
 */
export function mayReadSighting(p: Principal, s: SightingMarkings): boolean {
  if (!cleared(p, s.classification) || !has(p, READERS)) return false;
  return p.org === s.org || p.org === s.identityOrg;
}
