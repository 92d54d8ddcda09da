import { CLASSIFICATIONS, classificationRank, type Classification, type Principal } from "@interforce/domain";
import { cleared, hasRole, OWN_FORCE_READERS } from "./roles.js";
import { NOTHING, type SqlPredicate } from "./visibility-sql.js";

export interface SightingMarkings {
  /** The org that saw the identity and owns the sighting. */
  org: string;
  /** The org that owns the identity sighted. */
  identityOrg: string;
  classification: Classification;
}

/**
 * A sighting is kept by the sighting org and told to the identity's owner; nobody else
 * learns of it. Readers of either org need clearance for its classification. (On an identity's
 * `sightings` the owner must also let the caller read the identity: see below.)
 */
export function mayReadSighting(p: Principal, s: SightingMarkings): boolean {
  if (!cleared(p, s.classification) || !hasRole(p, OWN_FORCE_READERS)) return false;
  return p.org === s.org || p.org === s.identityOrg;
}

export interface SightingColumns {
  org: string;
  identityOrg: string;
  classification: string;
}

/** The SQL twin of `mayReadSighting`. */
export function sightingSqlPredicate(p: Principal, cols: SightingColumns): SqlPredicate {
  if (!hasRole(p, OWN_FORCE_READERS)) return NOTHING;
  const allowed = CLASSIFICATIONS.filter((c) => classificationRank(c) <= classificationRank(p.clearance));
  return {
    sql: `(${cols.classification} = ANY(:siAllowed) AND (${cols.org} = :siOrg OR ${cols.identityOrg} = :siOrg))`,
    params: { siAllowed: allowed, siOrg: p.org },
  };
}

/**
 * On an identity's `sightings` field: nothing unless the identity's owner lets the principal
 * read the identity itself (`identityReadable`, decided by the owner), so the field answers
 * for a hidden identity exactly as for an id that names nothing; then the sightings the
 * principal may read (its own org's, and every org's to the owner's readers).
 */
export function maySeeSightingOfIdentity(p: Principal, s: SightingMarkings, identityReadable: boolean): boolean {
  return identityReadable && mayReadSighting(p, s);
}

/** The SQL twin of `maySeeSightingOfIdentity`. */
export function sightingOfIdentitySqlPredicate(p: Principal, identityReadable: boolean, cols: SightingColumns): SqlPredicate {
  return identityReadable ? sightingSqlPredicate(p, cols) : NOTHING;
}
