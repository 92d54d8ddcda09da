import type { ObjectLiteral, SelectQueryBuilder } from "typeorm";
import { formatGlobalId, type RecordKind } from "@interforce/domain";
import type { Decision } from "@interforce/policy";
import { auditRead, decideRows, requirePurpose, type ForceContext } from "../../context.js";
import type { MarkedRecord } from "../../db/entities.js";
import { checkFirst, keysetPage, type Page } from "../../pagination.js";

/**
 * A policy-filtered, keyset-paginated list: the SQL predicate filters before LIMIT (full
 * pages, no hidden row counted), then `decide()` confirms each row (a link with its ends,
 * looked up in one batch) — a row the two disagree on is withheld and logged — and the
 * page is audited before it is returned.
 */
export async function readPage<R extends MarkedRecord & ObjectLiteral, V>(
  ctx: ForceContext,
  kind: RecordKind,
  qb: SelectQueryBuilder<R>,
  first: number,
  after: string | null,
  view: (row: R, decision: Decision) => V,
  operation: string,
): Promise<Page<V>> {
  requirePurpose(ctx);
  checkFirst(first);
  await ctx.access.restrict(qb, kind, "r");
  const page = await keysetPage(qb, "r", first, after);
  const decided: { id: string; kind: RecordKind; decision: Decision; row: R }[] = [];
  const decisions = await decideRows(ctx, kind, page.nodes);
  for (const [i, row] of page.nodes.entries()) {
    const decision = decisions[i]!;
    if (decision.level !== "FULL") {
      ctx.log.error({ requestId: ctx.requestId, kind, id: row.id, decision }, "policy SQL and decide() disagree; row withheld");
      continue;
    }
    decided.push({ id: formatGlobalId(ctx.org.code, kind, row.id), kind, decision, row });
  }
  await auditRead(ctx, operation, decided, { first, after });
  return { nodes: decided.map((d) => view(d.row, d.decision)), pageInfo: page.pageInfo };
}
