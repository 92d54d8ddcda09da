import { classificationRank, type Classification, type Principal } from "@interforce/domain";
import { columnsFor, toSqlPredicate } from "./sql.js";
import type { Decision, PolicyInputs } from "./types.js";
import { prefixParams, type SqlPredicate } from "./visibility-sql.js";

/**
 * A suspect link shows the ids of its ends. So a link is readable only with its ends:
 * - an end of the link's own org that names a record the caller may not read in full
 *   withholds the whole link (NONE, HIDDEN_END), on every path;
 * - an end that names no record (erased) does not;
 * - an end of another org is that org's to decide: the link is shown, and the end appears
 *   as a reference whose record (and id) the owner discloses only to those it lets read it
 *   (`IdentityRef.identity` / `ForumRef.forum`, resolved by the owner; the reference's own key
 *   is not part of the API).
 * The link's own markings must be at least as covert and as high as its own-org ends
 * (enforced on write), so this rarely withholds a link its markings would show.
 */
export const HIDDEN_END = "an end of the link is hidden from the caller";

export type EndKind = "identity" | "forum";

/** A link's end columns as the force stores them (global ids, text). */
export interface LinkEnds {
  fromId: string;
  toIdentityId: string | null;
  toForumId: string | null;
}

const END_COLUMNS: { field: keyof LinkEnds; column: string; kind: EndKind }[] = [
  { field: "fromId", column: "from_id", kind: "identity" },
  { field: "toIdentityId", column: "to_identity_id", kind: "identity" },
  { field: "toForumId", column: "to_forum_id", kind: "forum" },
];

/** The force tables the link-end twin looks ends up in. */
export const END_TABLES: Record<EndKind, string> = { identity: "online_identity", forum: "forum" };

const UUID_TEXT = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

/**
 * The ends of a link that belong to `org`: each global id in it that names an identity or
 * forum of this org, with the uuid it names (lower-cased, as PostgreSQL prints uuids).
 */
export function ownLinkEnds(org: string, row: LinkEnds): { id: string; kind: EndKind; uuid: string }[] {
  const out: { id: string; kind: EndKind; uuid: string }[] = [];
  for (const { field, kind } of END_COLUMNS) {
    const id = row[field];
    if (id == null) continue;
    const m = new RegExp(`^${org}:${kind}:(${UUID_TEXT})$`).exec(id);
    if (m) out.push({ id, kind, uuid: m[1]!.toLowerCase() });
  }
  return out;
}

/**
 * The caller's decision on a link given the decision on its own markings and the decisions
 * on its own-org ends (null for an end that names no record).
 */
export function decideLink(byMarkings: Decision, ownEnds: readonly (Decision | null)[]): Decision {
  if (byMarkings.level !== "FULL") return byMarkings;
  return ownEnds.some((e) => e !== null && e.level !== "FULL") ? { level: "NONE", reason: HIDDEN_END } : byMarkings;
}

/**
 * The SQL twin of the end rule over alias `alias` of the link table: for each end column, no
 * record of this org that it names may be one the caller cannot read in full. Combine with
 * `toSqlPredicate(…, "link", …)` for the link's own markings.
 */
export function linkEndsSqlPredicate(principal: Principal, org: string, inputs: PolicyInputs, alias: string): SqlPredicate {
  const clauses: string[] = [];
  const params: Record<string, unknown> = {};
  END_COLUMNS.forEach(({ column, kind }, i) => {
    const e = `${alias}_end${i}`;
    const readable = prefixParams(toSqlPredicate(principal, org, kind, inputs, columnsFor(e)), `${e}_`);
    const prefix = `${org}:${kind}:`;
    const col = `${alias}.${column}`;
    const pattern = `${e}_pattern`;
    params[pattern] = `^${prefix}${UUID_TEXT}$`;
    Object.assign(params, readable.params);
    clauses.push(
      `NOT EXISTS (SELECT 1 FROM ${END_TABLES[kind]} ${e} WHERE ${e}.id = (CASE WHEN ${col} ~ :${pattern} ` +
        `THEN CAST(lower(substr(${col}, ${prefix.length + 1})) AS uuid) END) AND NOT COALESCE(${readable.sql}, false))`,
    );
  });
  return { sql: `(${clauses.join(" AND ")})`, params };
}

/** Both halves of a link's rule as one predicate: its markings and its own-org ends. */
export function linkSqlPredicate(principal: Principal, org: string, inputs: PolicyInputs, alias: string): SqlPredicate {
  const markings = toSqlPredicate(principal, org, "link", inputs, columnsFor(alias));
  const ends = linkEndsSqlPredicate(principal, org, inputs, alias);
  return { sql: `(${markings.sql} AND ${ends.sql})`, params: { ...markings.params, ...ends.params } };
}

/**
 * The write rule of a link: it must be at least as covert and as highly classified as each
 * of its ends of its own org, so that no one who may read the link is shown the id of an end
 * hidden from them. Ends of other orgs set no floor. Null when the markings are enough;
 * otherwise the marking at fault, the end that sets the floor, and the floor.
 */
export function linkMarkingsFloor(
  link: { covert: boolean; classification: Classification },
  ownEnds: readonly { field: string; covert: boolean; classification: Classification }[],
): { marking: "covert" | "classification"; end: string; floor: string } | null {
  const covertEnd = ownEnds.find((e) => e.covert);
  if (covertEnd && !link.covert) return { marking: "covert", end: covertEnd.field, floor: "true" };
  const above = ownEnds.find((e) => classificationRank(e.classification) > classificationRank(link.classification));
  if (above) return { marking: "classification", end: above.field, floor: above.classification };
  return null;
}
