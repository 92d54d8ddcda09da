import type { DataSource, ObjectLiteral, SelectQueryBuilder } from "typeorm";
import { type Principal, type RecordKind } from "@interforce/domain";
import { columnsFor, decide, toSqlPredicate, type Agreement, type Decision } from "@interforce/policy";
import type { MarkedRecord } from "./db/entities.js";
import { policyRecord } from "./graphql/views.js";

/**
 * Every read in this subgraph goes through here: `decideRow` for records fetched by id
 * (reference resolvers, nested ends) and `restrict` for list queries, both from
 * packages/policy, so there is one set of rules.
 */
export class Access {
  constructor(
    readonly org: string,
    readonly principal: Principal,
    private readonly agreements: () => Promise<Agreement[]>,
  ) {}

  async decideRow(kind: RecordKind, row: MarkedRecord): Promise<Decision> {
    return decide(this.principal, policyRecord(this.org, kind, row), await this.agreements());
  }

  async filterReadable<T extends MarkedRecord>(kind: RecordKind, rows: T[]): Promise<T[]> {
    const agreements = await this.agreements();
    return rows.filter((r) => decide(this.principal, policyRecord(this.org, kind, r), agreements).level === "FULL");
  }

  async restrict<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, kind: RecordKind, alias: string) {
    const pred = toSqlPredicate(this.principal, this.org, kind, await this.agreements(), columnsFor(alias));
    return qb.andWhere(pred.sql, pred.params);
  }
}

export type { DataSource };
