import { Arg, Ctx, Field, InputType, Int, ObjectType, Query, Resolver } from "type-graphql";
import { parseGlobalId, type IntelligenceAssessment, type LinkType, type SourceEvaluation } from "@interforce/domain";
import {
  authorize,
  AssessmentEnum,
  badInput,
  ForumKindEnum,
  IdentityStatusEnum,
  LinkTypeEnum,
  PlatformEnum,
  SourceEvaluationEnum,
} from "@interforce/server-kit";
import { ID } from "type-graphql";
import type { HubContext } from "./context.js";
import { checkFirst, decodeCursor, encodeCursor } from "../modules/cursor.js";
import { HubForum, HubOnlineIdentity, PageInfo, HubRecord, HubSuspectLink, stubFor } from "./hub-types.js";

@ObjectType("LinkGraph", { description: "The suspect-link neighbourhood of an identity across forces; every node and edge decided by its owner." })
class LinkGraph {
  @Field(() => HubOnlineIdentity, { nullable: true, description: "Null when the caller may not read the root." }) root: HubOnlineIdentity | null;
  @Field(() => [HubRecord], { description: "Identities and forums reached, root included." }) nodes: HubRecord[];
  @Field(() => [HubSuspectLink], { description: "Links whose both ends the caller may read." }) edges: HubSuspectLink[];
  @Field(() => Int) depth: number;
  @Field(() => Boolean, { description: "True when the node limit stopped the walk early." }) truncated: boolean;
  @Field(() => [String], { description: "Orgs that did not answer in time: the graph may lack their part." }) unavailableOrgs: string[];
}

@InputType("IdentityFilter")
class IdentityFilter {
  @Field(() => PlatformEnum, { nullable: true }) platform?: string | null;
  @Field(() => IdentityStatusEnum, { nullable: true }) status?: string | null;
  @Field(() => Date, { nullable: true, description: "Last seen at or after." }) lastSeenFrom?: Date | null;
  @Field(() => Date, { nullable: true, description: "Last seen before." }) lastSeenTo?: Date | null;
  @Field(() => [SourceEvaluationEnum], { nullable: true }) source?: string[] | null;
  @Field(() => [AssessmentEnum], { nullable: true }) assessment?: string[] | null;
  @Field(() => [String], { nullable: true, description: "Only these owning orgs." }) orgs?: string[] | null;
}

@InputType("ForumFilter")
class ForumFilter {
  @Field(() => PlatformEnum, { nullable: true }) platform?: string | null;
  @Field(() => ForumKindEnum, { nullable: true }) kind?: string | null;
  @Field(() => [String], { nullable: true, description: "Only these owning orgs." }) orgs?: string[] | null;
}

@ObjectType("IdentityList")
class IdentityList {
  @Field(() => [HubOnlineIdentity]) nodes: HubOnlineIdentity[];
  @Field(() => PageInfo) pageInfo: PageInfo;
  @Field(() => [String]) unavailableOrgs: string[];
}

@ObjectType("ForumList")
class ForumList {
  @Field(() => [HubForum]) nodes: HubForum[];
  @Field(() => PageInfo) pageInfo: PageInfo;
  @Field(() => [String]) unavailableOrgs: string[];
}

const MAX_NODES = 300;
type WireLink = { id: string; fromId: string; toIdentityId: string | null; toForumId: string | null; linkType: string };
type Key = { t: number; id: string };

const byOrg = (ids: Iterable<string>) => {
  const out = new Map<string, string[]>();
  for (const id of ids) {
    const g = parseGlobalId(id);
    if (!g) continue;
    out.set(g.org, [...(out.get(g.org) ?? []), id]);
  }
  return out;
};

const isKey = (v: unknown): v is Key =>
  typeof v === "object" && v !== null && Number.isInteger((v as Key).t) && typeof (v as Key).id === "string" && parseGlobalId((v as Key).id) !== null;
// The order every force pages in: newest first, then global id as a plain string.
const compare = (a: Key, b: Key) => b.t - a.t || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function checkOrgs(ctx: HubContext, orgs: string[] | null | undefined): string[] {
  if (!orgs?.length) return ctx.forces.orgs;
  for (const o of orgs) if (!ctx.forces.orgs.includes(o)) throw badInput(`${o} is not an org in the registry`, "filter.orgs");
  return [...new Set(orgs)];
}

const who = (ctx: HubContext) => ({ token: ctx.token, purpose: ctx.purpose!, requestId: ctx.requestId });

@Resolver()
class AnalystResolver {
  @Query(() => LinkGraph, {
    description:
      "The suspect-link neighbourhood of an identity, up to 3 hops, across forces. Each force decides its own links and records; a link is shown only when the caller may read it and both its ends, so hidden records are not revealed by the edges that touch them.",
  })
  async linkGraph(
    @Ctx() ctx: HubContext,
    @Arg("rootId", () => ID) rootId: string,
    @Arg("depth", () => Int, { defaultValue: 2 }) depth: number,
    @Arg("types", () => [LinkTypeEnum], { nullable: true }) types: string[] | null,
  ): Promise<LinkGraph> {
    await authorize(ctx.principal, "link.graph", { purpose: ctx.purpose });
    if (!Number.isInteger(depth) || depth < 1 || depth > 3) throw badInput("depth must be 1, 2 or 3", "depth");
    const root = parseGlobalId(rootId);
    if (!root || root.kind !== "identity" || !ctx.forces.orgs.includes(root.org)) throw badInput("rootId must be the global id of an identity", "rootId");
    const unavailable = new Set<string>();
    const visible = new Set<string>();
    const checked = new Set<string>();

    const checkVisible = async (ids: string[]) => {
      const fresh = ids.filter((id) => !checked.has(id));
      fresh.forEach((id) => checked.add(id));
      const groups = byOrg(fresh);
      const { answers, unavailable: down } = await ctx.forces.askAll([...groups.keys()], "visible", (org) => ({ ids: groups.get(org)! }), who(ctx));
      down.forEach((o) => unavailable.add(o));
      for (const a of answers.values()) a.visible.forEach((id) => visible.add(id));
    };

    await checkVisible([rootId]);
    const empty = { root: null, nodes: [], edges: [], depth, truncated: false, unavailableOrgs: [...unavailable] };
    if (!visible.has(rootId)) return empty;

    const edges = new Map<string, WireLink>();
    let frontier = [rootId];
    let truncated = false;
    for (let hop = 0; hop < depth && frontier.length > 0; hop++) {
      const { answers, unavailable: down } = await ctx.forces.askAll(
        ctx.forces.orgs,
        "links",
        () => ({ ids: frontier, types: types as LinkType[] | null }),
        who(ctx),
      );
      down.forEach((o) => unavailable.add(o));
      const links = [...answers.values()].flatMap((a) => a.links).filter((l) => !edges.has(l.id));
      const ends = new Set<string>();
      for (const l of links) for (const end of [l.fromId, l.toIdentityId, l.toForumId]) if (end && !checked.has(end)) ends.add(end);
      let next = [...ends];
      if (visible.size + next.length > MAX_NODES) {
        next = next.slice(0, Math.max(0, MAX_NODES - visible.size));
        truncated = true;
      }
      await checkVisible(next);
      for (const l of links) {
        const to = l.toIdentityId ?? l.toForumId;
        if (visible.has(l.fromId) && to && visible.has(to)) edges.set(l.id, l);
      }
      // Only identities lead further; forums are leaves of the walk.
      frontier = next.filter((id) => visible.has(id) && parseGlobalId(id)?.kind === "identity");
      if (truncated) break;
    }
    const nodes = [...visible].map((id) => stubFor(id, parseGlobalId(id)!.kind)).filter((s) => s !== null);
    ctx.log.info({ requestId: ctx.requestId, rootId, depth, nodes: nodes.length, edges: edges.size }, "link graph");
    return {
      root: stubFor(rootId, "identity") as never,
      nodes: nodes as never,
      edges: [...edges.keys()].map((id) => stubFor(id, "link")) as never,
      depth,
      truncated,
      unavailableOrgs: [...unavailable].sort(),
    };
  }

  @Query(() => IdentityList, { description: "Identities across forces that the caller may read, newest sighting first; each force filters by its own policy." })
  async identities(
    @Ctx() ctx: HubContext,
    @Arg("filter", () => IdentityFilter, { nullable: true }) filter: IdentityFilter | null,
    @Arg("first", () => Int, { defaultValue: 20 }) first: number,
    @Arg("after", () => String, { nullable: true }) after: string | null,
  ): Promise<IdentityList> {
    await authorize(ctx.principal, "record.list", { purpose: ctx.purpose });
    checkFirst(first);
    const cursor = decodeCursor(ctx.keys, after, isKey);
    const f = filter ?? {};
    if (f.lastSeenFrom && f.lastSeenTo && f.lastSeenFrom >= f.lastSeenTo) throw badInput("filter.lastSeenTo must be after lastSeenFrom", "filter.lastSeenTo");
    const args = {
      first: first + 1,
      after: cursor,
      platform: f.platform ?? null,
      status: f.status ?? null,
      lastSeenFrom: f.lastSeenFrom?.toISOString() ?? null,
      lastSeenTo: f.lastSeenTo?.toISOString() ?? null,
      source: (f.source ?? null) as SourceEvaluation[] | null,
      assessment: (f.assessment ?? null) as IntelligenceAssessment[] | null,
    };
    const { answers, unavailable } = await ctx.forces.askAll(checkOrgs(ctx, f.orgs), "identities", () => args, who(ctx));
    return merge(ctx, answers, unavailable, first, "identity") as never;
  }

  @Query(() => ForumList, { description: "Forums across forces that the caller may read, newest first." })
  async forums(
    @Ctx() ctx: HubContext,
    @Arg("filter", () => ForumFilter, { nullable: true }) filter: ForumFilter | null,
    @Arg("first", () => Int, { defaultValue: 20 }) first: number,
    @Arg("after", () => String, { nullable: true }) after: string | null,
  ): Promise<ForumList> {
    await authorize(ctx.principal, "record.list", { purpose: ctx.purpose });
    checkFirst(first);
    const cursor = decodeCursor(ctx.keys, after, isKey);
    const f = filter ?? {};
    const args = { first: first + 1, after: cursor, platform: f.platform ?? null, kind: f.kind ?? null };
    const { answers, unavailable } = await ctx.forces.askAll(checkOrgs(ctx, f.orgs), "forums", () => args, who(ctx));
    return merge(ctx, answers, unavailable, first, "forum") as never;
  }
}

/** Merges per-force pages in the shared order; one row past the page tells whether there is more. */
function merge(ctx: HubContext, answers: Map<string, { nodes: Key[] }>, unavailable: string[], first: number, kind: "identity" | "forum") {
  const all = [...answers.values()].flatMap((a) => a.nodes).sort(compare);
  const page = all.slice(0, first);
  const last = page.at(-1);
  return {
    nodes: page.map((k) => stubFor(k.id, kind)),
    pageInfo: { endCursor: last ? encodeCursor(ctx.keys, { t: last.t, id: last.id }) : null, hasNextPage: all.length > first },
    unavailableOrgs: unavailable,
  };
}

export const ANALYST_RESOLVERS = [AnalystResolver] as const;
