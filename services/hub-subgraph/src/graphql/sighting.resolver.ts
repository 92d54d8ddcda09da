import { Arg, Ctx, Directive, Field, FieldResolver, ID, Int, InterfaceType, ObjectType, Resolver, Root } from "type-graphql";
import { loadRegistry, parseGlobalId, type OrgEntry } from "@interforce/domain";
import { authorize } from "@interforce/server-kit";
import { checkFirst, decodeCursor, encodeCursor, isTimeKey, timeKey } from "../modules/cursor.js";
import { identitySightings } from "../modules/sighting-pointers.js";
import type { HubContext } from "./context.js";
import { HubOnlineIdentity, PageInfo, orgByCode } from "./hub-types.js";

const byTypename = (v: { __typename?: string }) => v.__typename;

// The hub holds a sighting as a pointer (who, when, which identity and forum); the note and
// the rest are read from the sighting org through these stubs.
@InterfaceType("Sighting", { resolveType: byTypename, autoRegisterImplementations: false })
export abstract class HubSighting {
  @Field(() => ID) id: string;
}

export function createSightingStubs(orgs: OrgEntry[]): Function[] {
  return orgs.map((org) => {
    @ObjectType(`${org.typePrefix}Sighting`, { implements: HubSighting })
    @Directive(`@key(fields: "id", resolvable: false)`)
    class Stub extends HubSighting {}
    return Stub;
  });
}

@ObjectType("SightingList", { description: "Sightings the caller may see; the others are not listed or counted." })
class SightingList {
  @Field(() => [HubSighting]) nodes: HubSighting[];
  @Field(() => PageInfo) pageInfo: PageInfo;
}

@Resolver(() => HubOnlineIdentity)
class IdentitySightingsResolver {
  @FieldResolver(() => SightingList, {
    nullable: true,
    description:
      "Who has seen this identity, newest first: nothing unless its owner lets the caller read the identity; then the owner's readers see every org's sightings and any other org only its own. Each sighting, note included, is read from the org that recorded it.",
  })
  async sightings(
    @Root() identity: { id: string },
    @Ctx() ctx: HubContext,
    @Arg("first", () => Int, { defaultValue: 20 }) first: number,
    @Arg("after", () => String, { nullable: true }) after: string | null,
  ): Promise<SightingList> {
    await authorize(ctx.principal, "sighting.list", { purpose: ctx.purpose });
    checkFirst(first);
    const cursor = timeKey(decodeCursor(ctx.keys, after, isTimeKey));
    if (parseGlobalId(identity.id)?.kind !== "identity") return { nodes: [], pageInfo: { endCursor: null, hasNextPage: false } };
    const { rows, hasNextPage } = await identitySightings(ctx, identity.id, { first, after: cursor });
    await ctx.audit.record({
      action: "CONSULTATION",
      operation: "identity.sightings",
      principal: ctx.principal,
      purpose: ctx.purpose,
      requestId: ctx.requestId,
      records: rows.map((r) => ({
        id: r.sighting_id,
        kind: "sighting",
        level: "FULL" as const,
        reason: r.org === ctx.principal.org ? "own sighting" : "owner of the identity",
      })),
      detail: { identityId: identity.id, first, after },
    });
    const last = rows.at(-1);
    return {
      nodes: rows.map((r) => ({ __typename: `${orgByCode(r.org)!.typePrefix}Sighting`, id: r.sighting_id })) as never,
      pageInfo: { endCursor: last ? encodeCursor(ctx.keys, { t: last.seen_at.toISOString(), id: last.sighting_id }) : null, hasNextPage },
    };
  }
}

let stubs: Function[] | undefined;
export const sightingStubs = () => (stubs ??= createSightingStubs(loadRegistry().orgs));

export const SIGHTING_RESOLVERS = [IdentitySightingsResolver] as const;
