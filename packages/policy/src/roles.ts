import { classificationRank, type Classification, type Principal, type Role } from "@interforce/domain";

/** Roles that read their own force's records. POLICY_ADMIN manages agreements only. */
export const OWN_FORCE_READERS: readonly Role[] = ["OFFICER", "ANALYST", "FORCE_ADMIN", "SERVICE"];
/** Only analysts read across forces. */
export const CROSS_FORCE_READERS: readonly Role[] = ["ANALYST"];

/**
 * The national desk that brokers deconfliction. Its analysts and force admins are the desk;
 * what is covert (other orgs' covert deployments, alerts with a covert side) the desk sees
 * only with the covert claim, as everyone else.
 */
export const DECONFLICTION_DESK_ORG = "CEOP";
const DESK_ROLES: readonly Role[] = ["ANALYST", "FORCE_ADMIN"];

export const hasRole = (p: Principal, roles: readonly Role[]): boolean => p.roles.some((r) => roles.includes(r));
export const cleared = (p: Principal, c: Classification): boolean => classificationRank(p.clearance) >= classificationRank(c);

export function isDeconflictionDesk(p: Principal): boolean {
  return p.org === DECONFLICTION_DESK_ORG && hasRole(p, DESK_ROLES);
}

/**
 * A force's auditor: a FORCE_ADMIN of the force cleared to the highest classification and
 * holding the covert claim. Need-to-know gives it every record of its force; it alone also
 * reads the audit of records since erased and the ids of other orgs' records its force's
 * events name (its force's own log of what its principals did, for DPA 2018 s.62 review).
 */
export function isForceAuditor(p: Principal, org: string): boolean {
  return p.org === org && p.roles.includes("FORCE_ADMIN") && p.clearance === "SECRET" && p.covert;
}
