import { Arg, Ctx, Directive, Field, FieldResolver, ID, Int, ObjectType, Resolver } from "type-graphql";
import { formatOwnedId, parseGlobalId } from "@interforce/domain";
import { badInput, validate } from "@interforce/server-kit";
import type { ForceContext } from "../../context.js";
import { assignmentRule } from "./assignment-rule.js";
import { refTo } from "../../refs.js";
import { PageInfo } from "../../graphql/types.js";
import { forumView } from "../../graphql/views.js";
import type { ForceModule, OrgClasses } from "../../graphql/org-classes.js";
import { checkFirst, keysetPage } from "../../pagination.js";
import { ForumRiskLevelEnum } from "./risk-level.js";
import { MonitoringAssignmentRow } from "./monitoring.entity.js";
import { MonitoringService } from "./monitoring.service.js";
import { AssignMonitoringInput, MonitoringAssignment } from "./monitoring.types.js";
import { forumId as ForumIdSchema } from "./monitoring.validation.js";
import { auditOwnedRead, ownedRecordLoader } from "./owned-records.js";
import { readableOwnIds } from "../records/readable-ids.js";

const KEY_DOC = { nullable: true, description: "Any unique string: retrying with the same key returns the first result and writes nothing." };

export const monitoringModule: ForceModule = (c: OrgClasses) => {
  const code = c.org.code;
  const typeName = `${c.org.typePrefix}MonitoringAssignment`;

  @ObjectType(typeName, { implements: MonitoringAssignment })
  @Directive(`@key(fields: "id")`)
  class OrgAssignment extends MonitoringAssignment {}

  @ObjectType(`${c.org.typePrefix}MonitoringAssignmentPage`)
  class AssignmentPage {
    @Field(() => [OrgAssignment]) nodes: OrgAssignment[];
    @Field(() => PageInfo) pageInfo: PageInfo;
  }

  const view = (row: MonitoringAssignmentRow) => {
    const now = Date.now();
    return {
      __typename: typeName,
      id: formatOwnedId(code, "monitoring", row.id),
      org: code,
      forum: refTo(row.forumId),
      from: row.validFrom,
      to: row.validTo,
      active: row.validFrom.getTime() <= now && (row.validTo === null || now < row.validTo.getTime()),
      covert: row.covert,
      classification: row.classification,
      leadOfficer: { name: row.leadName, email: row.leadEmail, phone: row.leadPhone },
      createdBy: row.createdBy,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    };
  };

  // One query per batch of `_entities` ids, decided and audited before anything is returned.
  const loaderFor = ownedRecordLoader({
    org: code,
    kind: "monitoring",
    ref: "monitoring-assignment",
    entity: MonitoringAssignmentRow,
    readable: async (ctx) => (await assignmentRule(ctx)).see,
    view,
  });

  const service = (ctx: ForceContext, key: string | null) => new MonitoringService(ctx, key);

  @Resolver(() => c.OrgMutation)
  class MonitoringMutationResolver {
    @FieldResolver(() => OrgAssignment, { description: `Record that ${code} monitors a forum (of any org).` })
    async assignMonitoring(
      @Ctx() ctx: ForceContext,
      @Arg("input", () => AssignMonitoringInput) input: AssignMonitoringInput,
      @Arg("idempotencyKey", () => String, KEY_DOC) key: string | null,
    ) {
      await c.gate(ctx, "monitoring.assign");
      const row = await service(ctx, key).assign(ctx.principal, input);
      ctx.log.info({ requestId: ctx.requestId, sub: ctx.principal.sub, assignmentId: row.id }, "monitoring assigned");
      return view(row);
    }

    @FieldResolver(() => OrgAssignment, { description: "End one of our monitoring assignments at `at` (default now)." })
    async endMonitoring(
      @Ctx() ctx: ForceContext,
      @Arg("id", () => ID) id: string,
      @Arg("at", () => Date, { nullable: true }) at: Date | null,
      @Arg("idempotencyKey", () => String, KEY_DOC) key: string | null,
    ) {
      await c.gate(ctx, "monitoring.end");
      const row = await service(ctx, key).end(ctx.principal, id, at);
      ctx.log.info({ requestId: ctx.requestId, sub: ctx.principal.sub, assignmentId: row.id }, "monitoring ended");
      return view(row);
    }

    @FieldResolver(() => c.OrgForum, { description: "Change one of our forums' risk level; audited with the old value." })
    async setForumRiskLevel(
      @Ctx() ctx: ForceContext,
      @Arg("id", () => ID) id: string,
      @Arg("riskLevel", () => ForumRiskLevelEnum) riskLevel: string,
      @Arg("reason", () => String, { nullable: true }) reason: string | null,
      @Arg("idempotencyKey", () => String, KEY_DOC) key: string | null,
    ) {
      await c.gate(ctx, "forum.setRisk");
      const row = await service(ctx, key).setRiskLevel(ctx.principal, id, riskLevel, reason);
      return forumView(c.org, c.names, row, { level: "FULL", reason: "owner" });
    }
  }

  @Resolver(() => c.OrgQuery)
  class MonitoringQueryResolver {
    @FieldResolver(() => AssignmentPage, { description: `${code}'s monitoring assignments the caller may know of, newest first.` })
    async monitoringAssignments(
      @Ctx() ctx: ForceContext,
      @Arg("first", () => Int, { defaultValue: 20 }) first: number,
      @Arg("after", () => String, { nullable: true }) after: string | null,
      @Arg("forumId", () => ID, {
        nullable: true,
        description: `Only assignments on this ${code} forum (none unless the caller may read it); for another org's forum ask forum(id) { monitoring }.`,
      })
      forumId: string | null,
    ) {
      await c.gate(ctx, "monitoring.list");
      checkFirst(first);
      const qb = ctx.db.getRepository(MonitoringAssignmentRow).createQueryBuilder("r");
      if (forumId != null) {
        const forum = validate(ForumIdSchema, forumId, "forumId");
        // Only the forum's owner decides whether the caller may know the forum, and this force
        // can decide only its own: another org's forum is asked through the hub.
        if (parseGlobalId(forum)!.org !== code)
          throw badInput(`forumId must name a ${code} forum; for another org's forum ask forum(id) { monitoring }, which its owner decides`, "forumId");
        // A forum the caller may not read is answered as an id that names nothing.
        if (!(await readableOwnIds(ctx, [forum])).has(forum)) qb.andWhere("false");
        qb.andWhere("r.forum_id = :forumId", { forumId: forum });
      }
      const rule = await assignmentRule(ctx);
      const pred = rule.where("r");
      qb.andWhere(pred.sql, pred.params);
      const page = await keysetPage(qb, "r", first, after);
      const see = rule.see;
      const rows = page.nodes.filter((r) => {
        if (see(r)) return true;
        ctx.log.error({ requestId: ctx.requestId, id: r.id }, "monitoring SQL and rule disagree; row withheld");
        return false;
      });
      await auditOwnedRead(
        ctx,
        `${c.ns}.monitoringAssignments`,
        rows.map((r) => ({ id: formatOwnedId(code, "monitoring", r.id), kind: "monitoring-assignment" })),
        {
          first,
          after,
          forumId,
        },
      );
      return { nodes: rows.map(view), pageInfo: page.pageInfo };
    }
  }

  return {
    resolvers: [MonitoringMutationResolver, MonitoringQueryResolver],
    references: { [typeName]: { __resolveReference: (ref: { id: string }, ctx: ForceContext) => loaderFor(ctx).load(ref.id) } },
  };
};
