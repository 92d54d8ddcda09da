import type { ObjectLiteral, SelectQueryBuilder } from "typeorm";
import { type Principal, type RecordKind } from "@interforce/domain";
import { policyDecisions } from "@interforce/server-kit";
import { columnsFor, decide, linkSqlPredicate, toSqlPredicate, type AccessPath, type Decision, type PolicyInputs, type PolicyRecord } from "@interforce/policy";
import type { MarkedRecord } from "./db/entities.js";
import { policyRecord } from "./graphql/views.js";

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
    return counted(this.principal, decide(this.principal, policyRecord(this.org, kind, row), await this.inputs(), path));
  }

  async decideFor(principal: Principal, record: PolicyRecord, path: AccessPath): Promise<Decision> {
    return counted(principal, decide(principal, record, await this.inputs(), path));
  }

  async restrict<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, kind: RecordKind, alias: string) {
    const inputs = await this.inputs();
    const pred =
      kind === "link" ? linkSqlPredicate(this.principal, this.org, inputs, alias) : toSqlPredicate(this.principal, this.org, kind, inputs, columnsFor(alias));
    qb.andWhere(pred.sql, pred.params);
    return qb;
  }
}

/** Every decision of this force is counted here, by the asking principal's org and the level (the metric names no record). */
function counted(principal: Principal, decision: Decision): Decision {
  policyDecisions.inc({ org: principal.org, level: decision.level });
  return decision;
}
