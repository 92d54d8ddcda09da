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
 * learns of it. Readers of either org need clearance for its classification. (The hub also
 * asks the identity's owner whether the caller may read the identity before it shows the
 * owner's principals the sightings of other orgs.)
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
 * On an identity's `sightings` field: the identity's owner's principals see other orgs'
 * sightings only while the owner lets them read the identity itself (`identityReadable`,
 * decided by the owner); every org sees its own.
 */
export function maySeeSightingOfIdentity(p: Principal, s: SightingMarkings, identityReadable: boolean): boolean {
  return mayReadSighting(p, s) && (s.org === p.org || identityReadable);
}

/** The SQL twin of `maySeeSightingOfIdentity`. */
export function sightingOfIdentitySqlPredicate(p: Principal, identityReadable: boolean, cols: SightingColumns): SqlPredicate {
  const base = sightingSqlPredicate(p, cols);
  if (identityReadable || base.sql === NOTHING.sql) return base;
  return { sql: `(${base.sql} AND ${cols.org} = :siOrg)`, params: base.params };
}
