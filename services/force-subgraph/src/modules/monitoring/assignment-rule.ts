import type { Classification } from "@interforce/domain";
import { assignmentSqlPredicate, mayKnowAssignment, orgLiteral, partnersOf } from "@interforce/policy";
import type { ForceContext } from "../../context.js";
import type { MonitoringAssignmentRow } from "./monitoring.entity.js";

/**
 * The assignment rule of @interforce/policy for the caller and this org, per row and as its
 * SQL twin. Listed rows are still confirmed one by one.
 */
export async function assignmentRule(ctx: ForceContext) {
  const { agreements, now } = await ctx.access.inputs();
  const partner = partnersOf(agreements, ctx.principal.org, now);
  const code = ctx.org.code;
  const see = (row: Pick<MonitoringAssignmentRow, "covert" | "classification">) =>
    mayKnowAssignment(ctx.principal, { org: code, covert: row.covert, classification: row.classification as Classification }, partner(code));
  return {
    see,
    where: (alias: string) =>
      assignmentSqlPredicate(ctx.principal, [code], partner, { org: orgLiteral(code), covert: `${alias}.covert`, classification: `${alias}.classification` }),
  };
}
