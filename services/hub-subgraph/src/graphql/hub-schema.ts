import "reflect-metadata";
import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import DataLoader from "dataloader";
import { loadRegistry, parseGlobalId } from "@interforce/domain";
import { authorize, buildSubgraph, type BuiltSubgraph } from "@interforce/server-kit";
import type { HubContext } from "./context.js";
import { createStubs, ForumRef, HubForum, HubOnlineIdentity, HubSuspectLink, IdentityRef, Org, orgView, stubFor } from "./hub-types.js";
import { POLICY_ADMIN_RESOLVERS } from "./policy-admin.js";
import { SEARCH_RESOLVERS } from "./search.resolver.js";
import { DECONFLICTION_RESOLVERS } from "./deconfliction.resolver.js";
import { ANALYST_RESOLVERS } from "./analyst.resolver.js";
import { MONITORING_RESOLVERS, monitoringStubs } from "./monitoring.resolver.js";
import { SIGHTING_RESOLVERS, sightingStubs } from "./sighting.resolver.js";

export type { HubContext };

@Resolver()
class HubQueryResolver {
  @Query(() => [Org], { description: "The orgs of the registry and their SPOC contacts." })
  async orgs(@Ctx() ctx: HubContext): Promise<Org[]> {
    await authorize(ctx.principal, "org.list", { purpose: ctx.purpose });
    return loadRegistry().orgs.map(orgView);
  }

  @Query(() => HubOnlineIdentity, { nullable: true, description: "An identity by global id, read from and decided by its owner." })
  async identity(@Ctx() ctx: HubContext, @Arg("id", () => ID) id: string) {
    await authorize(ctx.principal, "record.read", { purpose: ctx.purpose });
    return stubFor(id, "identity");
  }

  @Query(() => HubForum, { nullable: true, description: "A forum by global id, read from and decided by its owner." })
  async forum(@Ctx() ctx: HubContext, @Arg("id", () => ID) id: string) {
    await authorize(ctx.principal, "record.read", { purpose: ctx.purpose });
    return stubFor(id, "forum");
  }

  @Query(() => HubSuspectLink, { nullable: true, description: "A suspect link by global id, read from and decided by its owner." })
  async suspectLink(@Ctx() ctx: HubContext, @Arg("id", () => ID) id: string) {
    await authorize(ctx.principal, "record.read", { purpose: ctx.purpose });
    return stubFor(id, "link");
  }
}

/**
 * A reference (a link end, a monitored forum, where a sighting was) names a record of its
 * owner. Its key is never shown; the record, and so its id, only when the owner lets the
 * caller read it: the hub asks the owners (one call per org per request) before it answers
 * the stub, since a stub's id would otherwise reach the caller without the owner being asked.
 */
const refLoaders = new WeakMap<HubContext, DataLoader<string, boolean>>();
function ownerLetsRead(ctx: HubContext, id: string): Promise<boolean> {
  let loader = refLoaders.get(ctx);
  if (!loader) {
    loader = new DataLoader<string, boolean>(
      async (ids) => {
        if (!ctx.purpose) return ids.map(() => false);
        const byOrg = new Map<string, string[]>();
        for (const id of new Set(ids)) {
          const org = parseGlobalId(id)?.org;
          if (org && ctx.forces.orgs.includes(org)) byOrg.set(org, [...(byOrg.get(org) ?? []), id]);
        }
        const { answers } = await ctx.forces.askAll([...byOrg.keys()], "visible", (org) => ({ ids: byOrg.get(org)! }), {
          token: ctx.token,
          purpose: ctx.purpose,
          requestId: ctx.requestId,
        });
        const visible = new Set([...answers.values()].flatMap((a) => a.visible));
        return ids.map((id) => visible.has(id));
      },
      { maxBatchSize: 200 },
    );
    refLoaders.set(ctx, loader);
  }
  return loader.load(id);
}

@Resolver(() => IdentityRef)
class IdentityRefResolver {
  @FieldResolver(() => HubOnlineIdentity, {
    nullable: true,
    description: "The identity, read from its owner; null when the owner does not let the caller read it.",
  })
  async identity(@Root() ref: { id: string }, @Ctx() ctx: HubContext) {
    const id = ctx.refs.open(ref.id);
    const stub = id ? stubFor(id, "identity") : null;
    return stub && (await ownerLetsRead(ctx, stub.id)) ? stub : null;
  }
}

@Resolver(() => ForumRef)
class ForumRefResolver {
  @FieldResolver(() => HubForum, { nullable: true, description: "The forum, read from its owner; null when the owner does not let the caller read it." })
  async forum(@Root() ref: { id: string }, @Ctx() ctx: HubContext) {
    const id = ctx.refs.open(ref.id);
    const stub = id ? stubFor(id, "forum") : null;
    return stub && (await ownerLetsRead(ctx, stub.id)) ? stub : null;
  }
}

let stubs: Function[] | undefined;

export async function buildHubSubgraph(): Promise<BuiltSubgraph> {
  stubs ??= createStubs(loadRegistry().orgs);
  return buildSubgraph(
    {
      resolvers: [
        HubQueryResolver,
        IdentityRefResolver,
        ForumRefResolver,
        ...POLICY_ADMIN_RESOLVERS,
        ...SEARCH_RESOLVERS,
        ...DECONFLICTION_RESOLVERS,
        ...ANALYST_RESOLVERS,
        ...MONITORING_RESOLVERS,
        ...SIGHTING_RESOLVERS,
      ],
      orphanedTypes: [...stubs, ...monitoringStubs(), ...sightingStubs(), IdentityRef, ForumRef, HubSuspectLink],
    },
    {
      IdentityRef: { __resolveReference: (ref: { id: string }) => ({ id: ref.id }) },
      ForumRef: { __resolveReference: (ref: { id: string }) => ({ id: ref.id }) },
    },
  );
}
