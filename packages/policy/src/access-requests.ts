import type { Principal } from "@interforce/domain";
import { decide } from "./decide.js";
import { columnsFor, toSqlPredicate } from "./sql.js";
import type { PolicyRecord } from "./types.js";
import type { SqlPredicate } from "./visibility-sql.js";

/** What the rules need of an access request. */
export interface AccessRequestFacts {
  ownerOrg: string;
  requesterOrg: string;
  requesterSub: string;
}

/**
 * Who may know of an access request (hit/no-hit follow-up):
 * - the principal who made it;
 * - a FORCE_ADMIN of the record's owner who may read the record in full (need-to-know: an
 *   admin not cleared for the record is not told of it, nor of its id).
 * `record` is the record's markings, null when the record is no longer known.
 */
export function mayKnowAccessRequest(p: Principal, r: AccessRequestFacts, record: PolicyRecord | null): boolean {
  if (p.org === r.requesterOrg && p.sub === r.requesterSub) return true;
  return mayDecideAccessRequest(p, r, record);
}

/** Only the owner's FORCE_ADMIN who may read the record in full grants or declines. */
export function mayDecideAccessRequest(p: Principal, r: AccessRequestFacts, record: PolicyRecord | null): boolean {
  if (p.org !== r.ownerOrg || !p.roles.includes("FORCE_ADMIN") || record === null) return false;
  // An owner's decision on its own record depends on no agreement, grant or clock.
  return decide(p, record, { agreements: [], grants: [], now: new Date(0) }).level === "FULL";
}

/**
 * The SQL twin over alias `r` of access_request, with `m` an alias of the record's markings
 * (the hub's pointer: classification, handling, handling_orgs, covert, review_due), joined by
 * the caller (LEFT JOIN: a request whose record is unknown joins nulls).
 */
export function accessRequestSqlPredicate(p: Principal, r: string, m: string): SqlPredicate {
  const own = p.roles.includes("FORCE_ADMIN")
    ? toSqlPredicate({ ...p, roles: ["FORCE_ADMIN"] }, p.org, "identity", { agreements: [], grants: [], now: new Date(0) }, columnsFor(m))
    : { sql: "(1 = 0)", params: {} };
  return {
    sql: `((${r}.requester_org = :arOrg AND ${r}.requester_sub = :arSub) OR (${r}.owner_org = :arOrg AND ${m}.record_id IS NOT NULL AND ${own.sql}))`,
    params: { arOrg: p.org, arSub: p.sub, ...own.params },
  };
}
