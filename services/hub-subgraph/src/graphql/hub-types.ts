import { Directive, Field, ID, InterfaceType, ObjectType } from "type-graphql";
import { loadRegistry, parseGlobalId, type OrgEntry, type RecordKind } from "@interforce/domain";
import { SpocContact } from "@interforce/server-kit";

const byTypename = (v: { __typename?: string }) => v.__typename;

// The hub knows records only as pointers: these interfaces carry just the id, and the
// per-org stub types let the query planner fetch every other field from the owner.
@InterfaceType("IntelligenceRecord", { resolveType: byTypename, autoRegisterImplementations: false })
export abstract class HubRecord {
  @Field(() => ID) id: string;
}
@InterfaceType("OnlineIdentity", { implements: HubRecord, resolveType: byTypename, autoRegisterImplementations: false })
export abstract class HubOnlineIdentity extends HubRecord {}
@InterfaceType("Forum", { implements: HubRecord, resolveType: byTypename, autoRegisterImplementations: false })
export abstract class HubForum extends HubRecord {}
@InterfaceType("SuspectLink", { implements: HubRecord, resolveType: byTypename, autoRegisterImplementations: false })
export abstract class HubSuspectLink extends HubRecord {}

const KIND_INTERFACE: Record<RecordKind, { iface: abstract new () => HubRecord; suffix: string }> = {
  identity: { iface: HubOnlineIdentity, suffix: "OnlineIdentity" },
  forum: { iface: HubForum, suffix: "Forum" },
  link: { iface: HubSuspectLink, suffix: "SuspectLink" },
};

/** Stub types for every org in the registry; generated from the same file as the forces. */
export function createStubs(orgs: OrgEntry[]): Function[] {
  const stubs: Function[] = [];
  for (const org of orgs) {
    for (const { iface, suffix } of Object.values(KIND_INTERFACE)) {
      // Forums and identities carry hub-owned fields (monitoring, sightings): the gateway
      // comes to the hub for those when the record was fetched from its owner's list.
      @ObjectType(`${org.typePrefix}${suffix}`, { implements: iface })
      @Directive(suffix === "SuspectLink" ? `@key(fields: "id", resolvable: false)` : `@key(fields: "id")`)
      class Stub extends (iface as abstract new () => HubRecord) {}
      stubs.push(Stub);
    }
  }
  return stubs;
}

/** Returns the owner's stub for a global id, or null when the id names no known org. */
export function stubFor(id: string, kind: RecordKind): { __typename: string; id: string } | null {
  const g = parseGlobalId(id);
  if (!g || g.kind !== kind) return null;
  const org = loadRegistry().orgs.find((o) => o.code === g.org);
  return org ? { __typename: `${org.typePrefix}${KIND_INTERFACE[kind].suffix}`, id } : null;
}

@ObjectType("Org", { description: "A force or national command in the registry." })
export class Org {
  @Field(() => String) code: string;
  @Field(() => String) name: string;
  @Field(() => SpocContact) spoc: SpocContact;
}

@ObjectType("IdentityRef", {
  description:
    "A reference to an identity (a link end, a sighting): `identity` is the record, read from its owner; null when the owner does not let the caller read it.",
})
@Directive(`@key(fields: "id")`)
export class IdentityRef {
  /** The key between subgraphs, never shown: the owner discloses the record (and its id) to those it lets read it. */
  @Field(() => ID) @Directive("@inaccessible") id: string;
  @Field(() => HubOnlineIdentity, { nullable: true }) identity: HubOnlineIdentity | null;
}

@ObjectType("ForumRef", {
  description:
    "A reference to a forum (a link end, a monitored forum, where a sighting was): `forum` is the record, read from its owner; null when the owner does not let the caller read it.",
})
@Directive(`@key(fields: "id")`)
export class ForumRef {
  /** The key between subgraphs, never shown: the owner discloses the record (and its id) to those it lets read it. */
  @Field(() => ID) @Directive("@inaccessible") id: string;
  @Field(() => HubForum, { nullable: true }) forum: HubForum | null;
}

/** The page info of every list, the same type as the forces'. */
@ObjectType("PageInfo")
@Directive("@shareable")
export class PageInfo {
  @Field(() => String, { nullable: true }) endCursor: string | null;
  @Field(() => Boolean) hasNextPage: boolean;
}

export const orgView = (o: OrgEntry): Org => ({ code: o.code, name: o.name, spoc: o.spoc });
export const orgByCode = (code: string) => loadRegistry().orgs.find((o) => o.code === code);
