import type { Principal } from "@interforce/domain";
import { decide } from "./decide.js";
import { decideLink, linkSqlPredicate } from "./links.js";
import { assignmentSqlPredicate, mayKnowAssignment, orgLiteral, type AssignmentMarkings } from "./monitoring.js";
import { isForceAuditor } from "./roles.js";
import { mayReadSighting, sightingSqlPredicate, type SightingMarkings } from "./sightings.js";
import { columnsFor, toSqlPredicate } from "./sql.js";
import type { PolicyInputs, PolicyRecord } from "./types.js";
import { EVERYTHING, NOTHING, prefixParams, type SqlPredicate } from "./visibility-sql.js";

/**
 * Need-to-know binds the audit too. A force's audit trail is read by its FORCE_ADMINs (the
 * `audit.read` action); each event is shown only when the reader may read, in full and now,
 * every record of the force the event names. An event naming a record since erased is shown
 * only to the force's auditor (isForceAuditor), who reads every event. Ids of other orgs'
 * records in an event (and in its detail) are shown only to the auditor; others see them
 * withheld (redactAuditEvent).
 */

/** A record of the force named by an audit event, as it stands now. */
export type AuditedRecord =
  | { kind: "identity" | "forum"; record: PolicyRecord }
  | { kind: "link"; record: PolicyRecord; ownEnds: readonly (PolicyRecord | null)[] }
  | { kind: "monitoring-assignment"; markings: AssignmentMarkings }
  | { kind: "sighting"; markings: SightingMarkings };

export interface AuditEventFacts {
  recordIds: readonly string[];
}

const ownIdOf = (org: string, id: string) => id.startsWith(`${org}:`);

function readable(p: Principal, r: AuditedRecord, inputs: PolicyInputs): boolean {
  switch (r.kind) {
    case "identity":
    case "forum":
      return decide(p, r.record, inputs).level === "FULL";
    case "link":
      return (
        decideLink(
          decide(p, r.record, inputs),
          r.ownEnds.map((e) => (e ? decide(p, e, inputs) : null)),
        ).level === "FULL"
      );
    case "monitoring-assignment":
      return mayKnowAssignment(p, r.markings, true);
    case "sighting":
      return mayReadSighting(p, r.markings);
  }
}

/** Whether the principal may see the event. `lookup` gives a named record of the force as it stands, null when there is none. */
export function mayReadAuditEvent(
  p: Principal,
  org: string,
  event: AuditEventFacts,
  lookup: (id: string) => AuditedRecord | null,
  inputs: PolicyInputs,
): boolean {
  if (p.org !== org || !p.roles.includes("FORCE_ADMIN")) return false;
  if (isForceAuditor(p, org)) return true;
  return event.recordIds
    .filter((id) => ownIdOf(org, id))
    .every((id) => {
      const r = lookup(id);
      return r !== null && readable(p, r, inputs);
    });
}

const ID_LIKE = /\b([A-Z][A-Z0-9_]{1,31}):(identity|forum|link|monitoring|sighting):[0-9a-fA-F-]{36}\b/g;
export const WITHHELD_ID = "[withheld]";

/** Every id of the force's own records that a value (deeply) mentions: what `redactAuditEvent` needs decided. */
export function ownIdsIn(org: string, value: unknown): string[] {
  const out = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === "string") for (const m of v.matchAll(ID_LIKE)) if (m[1] === org) out.add(m[0]);
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object" && !(v instanceof Date)) Object.values(v).forEach(walk);
  };
  walk(value);
  return [...out];
}

/**
 * An audit event as a reader who is not the force's auditor may see it: every id of another
 * org's record, and every id of the force's own records the reader may not read now
 * (`ownReadable`, decided by the records' own rules), replaced by WITHHELD_ID, in the records
 * and in the details alike; and in the details, the principal a reading of the log asked about
 * (`sub`), unless it is the reader: who was audited, and so whose conduct is looked into (an
 * undercover officer's account among them), is the auditor's to know. The auditor sees the
 * event as it was written.
 */
export function redactAuditEvent<T>(p: Principal, org: string, value: T, ownReadable: (id: string) => boolean): T {
  if (isForceAuditor(p, org)) return value;
  const walk = (v: unknown, inDetail: boolean): unknown => {
    if (typeof v === "string") return v.replace(ID_LIKE, (m, owner: string) => (owner === org && ownReadable(m) ? m : WITHHELD_ID));
    if (Array.isArray(v)) return v.map((x) => walk(x, inDetail));
    if (v && typeof v === "object" && !(v instanceof Date))
      return Object.fromEntries(
        Object.entries(v).map(([k, x]) => [
          k,
          inDetail && k === "sub" && typeof x === "string" && x !== p.sub ? WITHHELD_ID : walk(x, inDetail || k === "detail"),
        ]),
      );
    return v;
  };
  return walk(value, false) as T;
}

const UUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

/**
 * The SQL twin of `mayReadAuditEvent` over alias `e` of audit_event in the force's own
 * database (tables online_identity, forum, suspect_link, monitoring_assignment, sighting).
 */
export function auditEventSqlPredicate(p: Principal, org: string, inputs: PolicyInputs, e: string): SqlPredicate {
  if (p.org !== org || !p.roles.includes("FORCE_ADMIN")) return NOTHING;
  if (isForceAuditor(p, org)) return EVERYTHING;
  const uuidOf = (kind: string) => `(CASE WHEN ar.id ~ :auPat_${kind} THEN CAST(lower(split_part(ar.id, ':', 3)) AS uuid) END)`;
  const parts: SqlPredicate[] = [];
  const params: Record<string, unknown> = { auOrgPrefix: `${org}:` };
  const add = (auditKind: string, idKind: string, table: string, pred: SqlPredicate, alias: string) => {
    const pr = prefixParams(pred, `au_${alias}_`);
    params[`auPat_${idKind}`] = `^${org}:${idKind}:${UUID}$`;
    Object.assign(params, pr.params);
    parts.push({
      sql: `(ar.kind = '${auditKind}' AND EXISTS (SELECT 1 FROM ${table} ${alias} WHERE ${alias}.id = ${uuidOf(idKind)} AND ${pr.sql}))`,
      params: {},
    });
  };
  add("identity", "identity", "online_identity", toSqlPredicate(p, org, "identity", inputs, columnsFor("aui")), "aui");
  add("forum", "forum", "forum", toSqlPredicate(p, org, "forum", inputs, columnsFor("auf")), "auf");
  add("link", "link", "suspect_link", linkSqlPredicate(p, org, inputs, "aul"), "aul");
  add(
    "monitoring-assignment",
    "monitoring",
    "monitoring_assignment",
    assignmentSqlPredicate(p, [org], () => true, { org: orgLiteral(org), covert: "aum.covert", classification: "aum.classification" }),
    "aum",
  );
  add(
    "sighting",
    "sighting",
    "sighting",
    sightingSqlPredicate(p, { org: orgLiteral(org), identityOrg: "aus.identity_org", classification: "aus.classification" }),
    "aus",
  );
  return {
    sql:
      `NOT EXISTS (SELECT 1 FROM unnest(${e}.record_ids, ${e}.record_kinds) AS ar(id, kind)` +
      ` WHERE left(ar.id, length(:auOrgPrefix)) = :auOrgPrefix AND NOT (${parts.map((x) => x.sql).join(" OR ")}))`,
    params,
  };
}
