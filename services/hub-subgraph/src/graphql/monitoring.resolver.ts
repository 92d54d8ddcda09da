import { Arg, Ctx, Directive, Field, FieldResolver, ID, Int, InterfaceType, ObjectType, Query, Resolver, Root } from "type-graphql";
import { loadRegistry, parseGlobalId, type OrgEntry } from "@interforce/domain";
import { AccessInfo, authorize } from "@interforce/server-kit";
import { forumAssignments, overlaps, unmonitoredHighRisk, type AssignmentPointer } from "../modules/monitoring-picture.js";
import { checkFirst, decodeCursor, encodeCursor, isForumKey, isTimeKey, timeKey } from "../modules/cursor.js";
import type { HubContext } from "./context.js";
import { ownerLetsRead } from "../modules/owner-check.js";
import { ForumRef, HubForum, PageInfo, Org, orgByCode, orgView } from "./hub-types.js";

const byTypename = (v: { __typename?: string }) => v.__typename;

// The hub knows an assignment only as a pointer; the per-org stubs let the gateway fetch its
// fields (lead officer included) from the assigning org, which decides again.
@InterfaceType("MonitoringAssignment", { resolveType: byTypename, autoRegisterImplementations: false })
export abstract class HubMonitoringAssignment {
  @Field(() => ID) id: string;
}

export function createAssignmentStubs(orgs: OrgEntry[]): Function[] {
  return orgs.map((org) => {
    @ObjectType(`${org.typePrefix}MonitoringAssignment`, { implements: HubMonitoringAssignment })
    @Directive(`@key(fields: "id", resolvable: false)`)
    class Stub extends HubMonitoringAssignment {}
    return Stub;
  });
}

const assignmentStub = (id: string) => {
  const org = orgByCode(id.split(":")[0]!);
  return org ? { __typename: `${org.typePrefix}MonitoringAssignment`, id } : null;
};
const stubsOf = (rows: AssignmentPointer[]) => rows.map((r) => assignmentStub(r.assignment_id)).filter((s) => s !== null) as never as HubMonitoringAssignment[];

/**
 * The pointers whose orgs let the caller know of the assignment now (each org is asked once for
 * the page): the hub's copy of the rule can lag its owner's, and an assignment the owner then
 * withholds must be left out, not handed to the gateway as a stub its owner will not resolve.
 */
async function confirmed(ctx: HubContext, rows: AssignmentPointer[]): Promise<AssignmentPointer[]> {
  const shown = await Promise.all(rows.map((r) => ownerLetsRead(ctx, r.assignment_id)));
  return rows.filter((_, i) => shown[i]);
}

@ObjectType("MonitoringAssignmentList", { description: "Assignments the caller may know of; the others are not listed or counted." })
class MonitoringAssignmentList {
  @Field(() => [HubMonitoringAssignment]) nodes: HubMonitoringAssignment[];
  @Field(() => PageInfo) pageInfo: PageInfo;
}

@ObjectType("MonitoringOverlap", { description: "A forum that two or more orgs monitor at overlapping times (now or planned)." })
class MonitoringOverlap {
  @Field(() => ForumRef) forum: ForumRef;
  @Field(() => [String], { description: "The monitoring orgs, in code order." }) orgs: string[];
  @Field(() => [HubMonitoringAssignment]) assignments: HubMonitoringAssignment[];
  @Field(() => Boolean, { description: "At least one of them is covert: broker the contact, do not pass names on." }) covertInvolved: boolean;
}

@ObjectType("MonitoringOverlapList")
class MonitoringOverlapList {
  @Field(() => [MonitoringOverlap]) nodes: MonitoringOverlap[];
  @Field(() => PageInfo) pageInfo: PageInfo;
}

@ObjectType("UnmonitoredForum", { description: "A HIGH-risk forum that no org monitors now (as far as the caller may know)." })
class UnmonitoredForum {
  @Field(() => ID, { description: "The forum's id (FULL or POINTER): quote it in requestAccess to ask its owner for the record." }) recordId: string;
  @Field(() => ForumRef, { description: "Read from its owner; `forum` is null unless the caller may read it (access FULL)." }) forum: ForumRef;
  @Field(() => Org, { description: "The forum's owner." }) org: Org;
  @Field(() => AccessInfo) access: AccessInfo;
  @Field(() => Date, { nullable: true, description: "When the last monitoring of it ended, if any." }) lastMonitoredUntil: Date | null;
}

@ObjectType("UnmonitoredForumList")
class UnmonitoredForumList {
  @Field(() => [UnmonitoredForum]) nodes: UnmonitoredForum[];
  @Field(() => PageInfo) pageInfo: PageInfo;
}

@ObjectType("MonitoringOverview", { description: "CEOP deconfliction desk: where monitoring overlaps and which high-risk forums nobody monitors." })
class MonitoringOverview {}

const assignmentRefs = (rows: AssignmentPointer[]) =>
  rows.map((r) => ({ id: r.assignment_id, kind: "monitoring-assignment", level: "FULL" as const, reason: "monitoring rule" }));

@Resolver(() => HubForum)
class ForumMonitoringResolver {
  @FieldResolver(() => MonitoringAssignmentList, {
    nullable: true,
    description:
      "Which orgs monitor this forum: nothing unless its owner lets the caller read the forum; then the assignments the caller may know of (covert ones of other orgs only to CEOP's deconfliction desk), newest start first. Resolved by the hub from pointers; each assignment is read from, and decided again by, its org.",
  })
  async monitoring(
    @Root() forum: { id: string },
    @Ctx() ctx: HubContext,
    @Arg("first", () => Int, { defaultValue: 20 }) first: number,
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @Arg("activeOnly", () => Boolean, { defaultValue: false, description: "Only assignments in force now." }) activeOnly: boolean,
  ): Promise<MonitoringAssignmentList> {
    await authorize(ctx.principal, "monitoring.list", { purpose: ctx.purpose });
    checkFirst(first);
    const cursor = timeKey(decodeCursor(ctx.keys, after, isTimeKey));
    // A forum the caller may not read is answered as an id that names nothing (its owner decides).
    if (parseGlobalId(forum.id)?.kind !== "forum" || !(await ownerLetsRead(ctx, forum.id)))
      return { nodes: [], pageInfo: { endCursor: null, hasNextPage: false } };
    const listed = await forumAssignments(ctx.db, ctx.principal, forum.id, { first, after: cursor, activeOnly });
    const { hasNextPage } = listed;
    const rows = await confirmed(ctx, listed.rows);
    await ctx.audit.record({
      action: "CONSULTATION",
      operation: "forum.monitoring",
      principal: ctx.principal,
      purpose: ctx.purpose,
      requestId: ctx.requestId,
      records: assignmentRefs(rows),
      detail: { forumId: forum.id, first, after, activeOnly },
    });
    const last = listed.rows.at(-1);
    return {
      nodes: stubsOf(rows),
      pageInfo: { endCursor: last ? encodeCursor(ctx.keys, { t: last.valid_from.toISOString(), id: last.assignment_id }) : null, hasNextPage },
    };
  }
}

@Resolver(() => MonitoringOverview)
class MonitoringOverviewResolver {
  @Query(() => MonitoringOverview, { description: "CEOP deconfliction desk only (CEOP analysts and force admins): overlapping and missing monitoring." })
  async monitoringOverview(@Ctx() ctx: HubContext): Promise<MonitoringOverview> {
    await authorize(ctx.principal, "monitoring.overview", {
      purpose: ctx.purpose,
      refused: (reason) =>
        ctx.audit.record({
          action: "CONSULTATION",
          operation: "monitoringOverview",
          principal: ctx.principal,
          purpose: ctx.purpose,
          requestId: ctx.requestId,
          records: [],
          detail: { denied: reason },
        }),
    });
    return new MonitoringOverview();
  }

  @FieldResolver(() => MonitoringOverlapList, { description: "Forums monitored by two or more orgs at overlapping times, covert assignments included." })
  async overlaps(
    @Ctx() ctx: HubContext,
    @Arg("first", () => Int, { defaultValue: 20 }) first: number,
    @Arg("after", () => String, { nullable: true }) after: string | null,
  ): Promise<MonitoringOverlapList> {
    await authorize(ctx.principal, "monitoring.overview", { purpose: ctx.purpose });
    checkFirst(first);
    const cursor = decodeCursor(ctx.keys, after, isForumKey);
    const page = await overlaps(ctx.db, ctx.principal, first, cursor?.f ?? null);
    const shown = (
      await Promise.all(
        page.nodes.map(async (n) => {
          const assignments = await confirmed(ctx, n.assignments);
          return { ...n, assignments, orgs: [...new Set(assignments.map((a) => a.org))].sort() };
        }),
      )
    ).filter((n) => n.orgs.length > 1);
    await ctx.audit.record({
      action: "CONSULTATION",
      operation: "monitoringOverview.overlaps",
      principal: ctx.principal,
      purpose: ctx.purpose,
      requestId: ctx.requestId,
      records: assignmentRefs(shown.flatMap((n) => n.assignments)),
      detail: { first, after, forums: shown.map((n) => n.forum_id) },
    });
    return {
      nodes: shown.map((n) => ({
        forum: { id: ctx.refs.seal(n.forum_id) } as ForumRef,
        orgs: n.orgs,
        assignments: stubsOf(n.assignments),
        covertInvolved: n.assignments.some((a) => a.covert),
      })),
      pageInfo: { endCursor: page.endCursor ? encodeCursor(ctx.keys, { f: page.endCursor }) : null, hasNextPage: page.hasNextPage },
    };
  }

  @FieldResolver(() => UnmonitoredForumList, {
    description: "HIGH-risk forums that no org monitors now, each screened by its owner's policy as a search hit would be.",
  })
  async unmonitoredHighRisk(
    @Ctx() ctx: HubContext,
    @Arg("first", () => Int, { defaultValue: 20 }) first: number,
    @Arg("after", () => String, { nullable: true }) after: string | null,
  ): Promise<UnmonitoredForumList> {
    await authorize(ctx.principal, "monitoring.overview", { purpose: ctx.purpose });
    checkFirst(first);
    const cursor = decodeCursor(ctx.keys, after, isForumKey);
    const page = await unmonitoredHighRisk(ctx.db, ctx.principal, first, cursor?.f ?? null);
    await ctx.audit.record({
      action: "CONSULTATION",
      operation: "monitoringOverview.unmonitoredHighRisk",
      principal: ctx.principal,
      purpose: ctx.purpose,
      requestId: ctx.requestId,
      records: page.nodes.map((n) => ({ id: n.record_id, kind: "forum", level: n.decision.level, reason: n.decision.reason })),
      detail: { first, after },
    });
    const last = page.nodes.at(-1);
    return {
      nodes: page.nodes.map((n) => {
        const owner = orgByCode(n.org)!;
        return {
          recordId: n.record_id,
          forum: { id: ctx.refs.seal(n.record_id) } as ForumRef,
          org: orgView(owner),
          access: { level: n.decision.level, reason: n.decision.reason, contact: owner.spoc },
          lastMonitoredUntil: n.last_until,
        };
      }),
      pageInfo: { endCursor: last ? encodeCursor(ctx.keys, { f: last.record_id }) : null, hasNextPage: page.hasNextPage },
    };
  }
}

let stubs: Function[] | undefined;
export const monitoringStubs = () => (stubs ??= createAssignmentStubs(loadRegistry().orgs));

export const MONITORING_RESOLVERS = [ForumMonitoringResolver, MonitoringOverviewResolver] as const;
