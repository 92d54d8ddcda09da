import type { ObjectLiteral, SelectQueryBuilder } from "typeorm";
import { type Principal, type RecordKind } from "@interforce/domain";
import {
  columnsFor,
  decide,
  toSqlPredicate,
  type AccessPath,
  type Decision,
  type PolicyInputs,
  type PolicyRecord,
  type SqlPredicate,
} from "@interforce/policy";
import type { LinkRow, MarkedRecord } from "./db/entities.js";
import { policyRecord } from "./graphql/views.js";

/** The kinds a link end can be, and the table each is stored in. */
export type EndKind = "identity" | "forum";
const END_TABLES: Record<EndKind, string> = { identity: "online_identity", forum: "forum" };
const END_COLUMNS: { field: keyof Pick<LinkRow, "fromId" | "toIdentityId" | "toForumId">; column: string; kind: EndKind }[] = [
  { field: "fromId", column: "from_id", kind: "identity" },
  { field: "toIdentityId", column: "to_identity_id", kind: "identity" },
  { field: "toForumId", column: "to_forum_id", kind: "forum" },
];
const UUID_TEXT = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

/** Why a link is withheld when one of its ends of this org is. */
export const HIDDEN_END = "an end of the link is hidden from the caller";

/**
 * The ends of a link that belong to `org`: each global id in it that names an identity
 * or forum of this org, with the uuid it names (lower-cased, as PostgreSQL prints uuids).
 * Ends of other orgs are their owners' to decide and are not returned.
 */
export function ownLinkEnds(org: string, row: Pick<LinkRow, "fromId" | "toIdentityId" | "toForumId">): { id: string; kind: EndKind; uuid: string }[] {
  const out: { id: string; kind: EndKind; uuid: string }[] = [];
  for (const { field, kind } of END_COLUMNS) {
    const id = row[field];
    if (id == null) continue;
    const m = new RegExp(`^${org}:${kind}:(${UUID_TEXT})$`).exec(id);
    if (m) out.push({ id, kind, uuid: m[1]!.toLowerCase() });
  }
  return out;
}

/** Renames a predicate's parameters with a prefix, so several predicates can share a query. */
function prefixParams(pred: SqlPredicate, prefix: string): SqlPredicate {
  const keys = Object.keys(pred.params);
  if (keys.length === 0) return pred;
  const names = [...keys].sort((a, b) => b.length - a.length).join("|");
  const sql = pred.sql.replace(new RegExp(`:(\\.\\.\\.)?(${names})(?![A-Za-z0-9_.])`, "g"), (_m, spread: string | undefined, key: string) => `:${spread ?? ""}${prefix}${key}`);
  return { sql, params: Object.fromEntries(keys.map((k) => [`${prefix}${k}`, pred.params[k]])) };
}

/**
 * Every read in this subgraph goes through here: `decideRow` for records fetched by id
 * (reference resolvers, nested ends) and `restrict` for list queries, both from
 * packages/policy, so there is one set of rules. The inputs are taken once per request,
 * so one request sees one policy.
 *
 * A link is readable only with its ends: a link one of whose ends of this org exists and
 * is not FULL to the caller is withheld as a whole (`restrict` filters such links in SQL;
 * readers confirm row by row with `hiddenEnds` results from batched loaders).
 */
export class Access {
  private inputsOnce: Promise<PolicyInputs> | undefined;

  constructor(
    readonly org: string,
    readonly principal: Principal,
    private readonly load: () => Promise<PolicyInputs>,
  ) {}

  inputs(): Promise<PolicyInputs> {
    this.inputsOnce ??= this.load();
    return this.inputsOnce;
  }

  async decideRow(kind: RecordKind, row: MarkedRecord, path: AccessPath = "read"): Promise<Decision> {
    return decide(this.principal, policyRecord(this.org, kind, row), await this.inputs(), path);
  }

  async decideFor(principal: Principal, record: PolicyRecord, path: AccessPath): Promise<Decision> {
    return decide(principal, record, await this.inputs(), path);
  }

  async restrict<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, kind: RecordKind, alias: string) {
    const inputs = await this.inputs();
    const pred = toSqlPredicate(this.principal, this.org, kind, inputs, columnsFor(alias));
    qb.andWhere(pred.sql, pred.params);
    if (kind === "link") {
      const ends = this.linkEndsPredicate(alias, inputs);
      qb.andWhere(ends.sql, ends.params);
    }
    return qb;
  }

  /**
   * For each end column of the link table: no record of this org that the column names
   * may be one the caller cannot read in full. An end that names no record (erased) or a
   * record of another org does not withhold the link. The record is found by primary key.
   */
  private linkEndsPredicate(alias: string, inputs: PolicyInputs): SqlPredicate {
    const clauses: string[] = [];
    const params: Record<string, unknown> = {};
    END_COLUMNS.forEach(({ column, kind }, i) => {
      const e = `${alias}_end${i}`;
      const readable = prefixParams(toSqlPredicate(this.principal, this.org, kind, inputs, columnsFor(e)), `${e}_`);
      const prefix = `${this.org}:${kind}:`;
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
}
