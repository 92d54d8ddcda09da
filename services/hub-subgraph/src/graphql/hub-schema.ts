import "reflect-metadata";
import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import { loadRegistry } from "@interforce/domain";
import { authorize, buildSubgraph, type BuiltSubgraph } from "@interforce/server-kit";
import type { HubContext } from "./context.js";
import { byIdFromOwner, ownerLetsRead } from "../modules/owner-check.js";
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
    return byIdFromOwner(ctx, stubFor(id, "identity"));
  }

  @Query(() => HubForum, { nullable: true, description: "A forum by global id, read from and decided by its owner." })
  async forum(@Ctx() ctx: HubContext, @Arg("id", () => ID) id: string) {
    await authorize(ctx.principal, "record.read", { purpose: ctx.purpose });
    return byIdFromOwner(ctx, stubFor(id, "forum"));
  }

  @Query(() => HubSuspectLink, { nullable: true, description: "A suspect link by global id, read from and decided by its owner." })
  async suspectLink(@Ctx() ctx: HubContext, @Arg("id", () => ID) id: string) {
    await authorize(ctx.principal, "record.read", { purpose: ctx.purpose });
    return byIdFromOwner(ctx, stubFor(id, "link"));
  }
}

// A reference (a link end, a monitored forum, where a sighting was) names a record of its
// owner. Its key is never shown; the record, and so its id, only when the owner lets the
// caller read it: a stub's id would otherwise reach the caller without the owner being asked.
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
