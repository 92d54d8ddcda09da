import "reflect-metadata";
import { Arg, Ctx, Directive, Field, FieldResolver, ID, Int, InterfaceType, ObjectType, Query, Resolver, Root } from "type-graphql";
import { handleSelector, loadRegistry, normaliseHandle, parseGlobalId, type OrgEntry, type Principal, type RecordKind } from "@interforce/domain";
import { decide } from "@interforce/policy";
import { AccessInfo, appError, badInput, buildSubgraph, PlatformEnum, SpocContact, type BuiltSubgraph, type Logger } from "@interforce/server-kit";
import { requirePurpose, type HubContext } from "./context.js";
import { POLICY_ADMIN_RESOLVERS } from "./policy-admin.js";
import type { DataSource } from "typeorm";
import { PointerRow } from "../db/entities.js";
import { loadAgreements } from "../modules/agreements.js";
import { activeGrants, pointerRecord } from "../modules/access-requests.js";

export type { HubContext };

const byTypename = (v: { __typename?: string }) => v.__typename;

// The hub knows records only as pointers: these interfaces carry just the id, and the
// per-org stub types let the query planner fetch every other field from the owner.
@InterfaceType("IntelligenceRecord", { resolveType: byTypename, autoRegisterImplementations: false })
abstract class HubRecord {
  @Field(() => ID) id: string;
}
@InterfaceType("OnlineIdentity", { implements: HubRecord, resolveType: byTypename, autoRegisterImplementations: false })
abstract class HubOnlineIdentity extends HubRecord {}
@InterfaceType("Forum", { implements: HubRecord, resolveType: byTypename, autoRegisterImplementations: false })
abstract class HubForum extends HubRecord {}
@InterfaceType("SuspectLink", { implements: HubRecord, resolveType: byTypename, autoRegisterImplementations: false })
abstract class HubSuspectLink extends HubRecord {}

const KIND_INTERFACE: Record<RecordKind, { iface: abstract new () => HubRecord; suffix: string }> = {
  identity: { iface: HubOnlineIdentity, suffix: "OnlineIdentity" },
  forum: { iface: HubForum, suffix: "Forum" },
  link: { iface: HubSuspectLink, suffix: "SuspectLink" },
};

/** Stub types for every org in the registry; generated from the same file as the forces. */
function createStubs(orgs: OrgEntry[]): Function[] {
  const stubs: Function[] = [];
  for (const org of orgs) {
    for (const { iface, suffix } of Object.values(KIND_INTERFACE)) {
      @ObjectType(`${org.typePrefix}${suffix}`, { implements: iface })
      @Directive(`@key(fields: "id", resolvable: false)`)
      class Stub extends (iface as abstract new () => HubRecord) {}
      stubs.push(Stub);
    }
  }
  return stubs;
}

/** Returns the owner's stub for a global id, or null when the id names no known org. */
function stubFor(id: string, kind: RecordKind): { __typename: string; id: string } | null {
  const g = parseGlobalId(id);
  if (!g || g.kind !== kind) return null;
  const org = loadRegistry().orgs.find((o) => o.code === g.org);
  return org ? { __typename: `${org.typePrefix}${KIND_INTERFACE[kind].suffix}`, id } : null;
}

@ObjectType("Org", { description: "A force or national command in the registry." })
class Org {
  @Field(() => String) code: string;
  @Field(() => String) name: string;
  @Field(() => SpocContact) spoc: SpocContact;
}

@ObjectType("IdentityRef", { description: "A link end; the hub resolves it to the owning force's identity." })
@Directive(`@key(fields: "id")`)
class IdentityRef {
  @Field(() => ID) id: string;
  @Field(() => HubOnlineIdentity, { nullable: true }) identity: HubOnlineIdentity | null;
}

@ObjectType("ForumRef", { description: "A link end; the hub resolves it to the owning force's forum." })
@Directive(`@key(fields: "id")`)
class ForumRef {
  @Field(() => ID) id: string;
  @Field(() => HubForum, { nullable: true }) forum: HubForum | null;
}

@ObjectType("SearchHit", { description: "A match: FULL with the record, or POINTER (hit/no-hit) with only its owner and whom to ask." })
class SearchHit {
  @Field(() => ID, { description: "Quote it in requestAccess to ask the owner for the record." }) recordId: string;
  @Field(() => Org) org: Org;
  @Field(() => String, { description: "The normalised selector that matched." }) selector: string;
  @Field(() => AccessInfo) access: AccessInfo;
  @Field(() => HubOnlineIdentity, { nullable: true, description: "The record, fetched from and decided again by its owner; null unless FULL." })
  identity: HubOnlineIdentity | null;
}

@ObjectType("HubPageInfo")
class HubPageInfo {
  @Field(() => String, { nullable: true }) endCursor: string | null;
  @Field(() => Boolean) hasNextPage: boolean;
}

@ObjectType("SearchResult")
class SearchResult {
  @Field(() => [SearchHit]) hits: SearchHit[];
  @Field(() => HubPageInfo) pageInfo: HubPageInfo;
}

const orgView = (o: OrgEntry): Org => ({ code: o.code, name: o.name, spoc: o.spoc });
const orgByCode = (code: string) => loadRegistry().orgs.find((o) => o.code === code);
const MAX_PAGE = 100;
const checkFirst = (first: number) => {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) throw badInput(`first must be between 1 and ${MAX_PAGE}`, "first");
};

@Resolver()
class HubQueryResolver {
  @Query(() => [Org], { description: "The orgs of the registry and their SPOC contacts." })
  orgs(): Org[] {
    return loadRegistry().orgs.map(orgView);
  }

  @Query(() => HubOnlineIdentity, { nullable: true, description: "An identity by global id, read from and decided by its owner." })
  identity(@Arg("id", () => ID) id: string) {
    return stubFor(id, "identity");
  }

  @Query(() => HubForum, { nullable: true, description: "A forum by global id, read from and decided by its owner." })
  forum(@Arg("id", () => ID) id: string) {
    return stubFor(id, "forum");
  }

  @Query(() => HubSuspectLink, { nullable: true, description: "A suspect link by global id, read from and decided by its owner." })
  suspectLink(@Arg("id", () => ID) id: string) {
    return stubFor(id, "link");
  }

  @Query(() => SearchResult, { description: "Who holds this handle: selector hits across all forces, FULL or POINTER by policy." })
  async search(
    @Ctx() ctx: HubContext,
    @Arg("selector", () => String, { description: "A handle as seen; normalised before matching." }) selector: string,
    @Arg("platform", () => PlatformEnum) platform: string,
    @Arg("first", () => Int, { defaultValue: 20 }) first: number,
    @Arg("after", () => String, { nullable: true }) after: string | null,
  ): Promise<SearchResult> {
    requirePurpose(ctx);
    if (selector.length > 200) throw badInput("selector is longer than 200 characters", "selector");
    if (!normaliseHandle(selector)) throw badInput("selector has no letters to match on", "selector");
    checkFirst(first);
    const key = handleSelector(selector, platform);
    const rows = await ctx.db
      .getRepository(PointerRow)
      .createQueryBuilder("p")
      .where("p.selector = :key", { key })
      .orderBy("p.org", "ASC")
      .addOrderBy("p.record_id", "ASC")
      .getMany();
    const inputs = { agreements: await loadAgreements(ctx.db), grants: await activeGrants(ctx.db), now: new Date() };
    // The hub screens pointers with the same policy the owners apply; a pointer the
    // principal may not know of is dropped here, so it is not even counted.
    const decided = rows
      .map((r) => ({ row: r, decision: decide(ctx.principal, pointerRecord(r), inputs, "search") }))
      .filter((d) => d.decision.level !== "NONE");
    const start = after ? decided.findIndex((d) => d.row.recordId === after) + 1 : 0;
    if (after && start === 0) throw badInput("after is not a cursor returned by this search", "after");
    const page = decided.slice(start, start + first);
    await ctx.audit.record({
      action: "CONSULTATION",
      operation: "search",
      principal: ctx.principal,
      purpose: ctx.purpose,
      requestId: ctx.requestId,
      records: page.map((d) => ({ id: d.row.recordId, kind: d.row.kind, level: d.decision.level, reason: d.decision.reason })),
      detail: { selector: key, hits: page.length },
    });
    return {
      hits: page.map(({ row, decision }) => {
        const owner = orgByCode(row.org)!;
        return {
          recordId: row.recordId,
          org: orgView(owner),
          selector: row.selector,
          access: { level: decision.level, reason: decision.reason, contact: owner.spoc },
          identity: decision.level === "FULL" ? (stubFor(row.recordId, "identity") as never) : null,
        };
      }),
      pageInfo: { endCursor: page.at(-1)?.row.recordId ?? null, hasNextPage: start + first < decided.length },
    };
  }
}

@Resolver(() => IdentityRef)
class IdentityRefResolver {
  @FieldResolver(() => HubOnlineIdentity, { nullable: true })
  identity(@Root() ref: { id: string }) {
    return stubFor(ref.id, "identity");
  }
}

@Resolver(() => ForumRef)
class ForumRefResolver {
  @FieldResolver(() => HubForum, { nullable: true })
  forum(@Root() ref: { id: string }) {
    return stubFor(ref.id, "forum");
  }
}

let stubs: Function[] | undefined;

export async function buildHubSubgraph(): Promise<BuiltSubgraph> {
  stubs ??= createStubs(loadRegistry().orgs);
  return buildSubgraph(
    {
      resolvers: [HubQueryResolver, IdentityRefResolver, ForumRefResolver, ...POLICY_ADMIN_RESOLVERS],
      orphanedTypes: [...stubs, IdentityRef, ForumRef, HubSuspectLink],
    },
    {
      IdentityRef: { __resolveReference: (ref: { id: string }) => ({ id: ref.id }) },
      ForumRef: { __resolveReference: (ref: { id: string }) => ({ id: ref.id }) },
    },
  );
}
