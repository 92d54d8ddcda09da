import "reflect-metadata";
import { Arg, Ctx, Directive, Field, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from "type-graphql";
import type { OrgEntry, Role } from "@interforce/domain";
import { buildSubgraph, forbidden, type BuiltSubgraph } from "@interforce/server-kit";
import type { ForceContext } from "../context.js";
import { ForumRow, IdentityRow, LinkRow } from "../db/entities.js";
import { keysetPage, checkFirst, type Page } from "../pagination.js";
import { RecordService } from "../modules/records/record.service.js";
import { LinkIdentitiesInput, RecordForumInput, RecordOnlineIdentityInput } from "./inputs.js";
import { Forum, OnlineIdentity, PageInfo, SuspectLink } from "./types.js";
import { forumView, identityView, linkView, typeNamesFor, type IdentityView, type LinkView } from "./views.js";

const WRITER_ROLES: Role[] = ["OFFICER", "FORCE_ADMIN", "SERVICE"];

/** Only principals of the org may write into its namespace (DESIGN §3). */
function requireWriter(ctx: ForceContext): void {
  if (ctx.principal.org !== ctx.org.code) {
    throw forbidden(`Only ${ctx.org.code} principals may write ${ctx.org.code} records`);
  }
  if (!ctx.principal.roles.some((r) => WRITER_ROLES.includes(r))) {
    throw forbidden(`Recording intelligence needs one of the roles ${WRITER_ROLES.join(", ")}`);
  }
}

/**
 * The per-org types and resolvers, generated from one template: `KentOnlineIdentity`,
 * `KentForum`, `KentSuspectLink`, the `kent` query and mutation namespaces. Federation
 * routes by type name, so each force must own distinct types.
 */
function createOrgClasses(org: OrgEntry) {
  const p = org.typePrefix;
  const ns = org.code.toLowerCase();
  const names = typeNamesFor(p);

  @ObjectType(names.identity, { implements: OnlineIdentity })
  @Directive(`@key(fields: "id")`)
  class OrgIdentity extends OnlineIdentity {}

  @ObjectType(names.forum, { implements: Forum })
  @Directive(`@key(fields: "id")`)
  class OrgForum extends Forum {}

  @ObjectType(names.link, { implements: SuspectLink })
  @Directive(`@key(fields: "id")`)
  class OrgLink extends SuspectLink {}

  @ObjectType(`${p}OnlineIdentityPage`)
  class IdentityPage {
    @Field(() => [OrgIdentity]) nodes: OrgIdentity[];
    @Field(() => PageInfo) pageInfo: PageInfo;
  }

  @ObjectType(`${p}ForumPage`)
  class ForumPage {
    @Field(() => [OrgForum]) nodes: OrgForum[];
    @Field(() => PageInfo) pageInfo: PageInfo;
  }

  @ObjectType(`${p}SuspectLinkPage`)
  class LinkPage {
    @Field(() => [OrgLink]) nodes: OrgLink[];
    @Field(() => PageInfo) pageInfo: PageInfo;
  }

  @ObjectType(`${p}Query`, { description: `${org.name}: its records readable by the caller, by policy.` })
  class OrgQuery {}

  @ObjectType(`${p}Mutation`, { description: `${org.name}: writes, for ${org.code} principals only.` })
  class OrgMutation {}

  const mapPage = <R, V>(page: Page<R>, view: (r: R) => V) => ({ nodes: page.nodes.map(view), pageInfo: page.pageInfo });

  @Resolver()
  class RootResolver {
    @Query(() => OrgQuery, { name: ns })
    query(): OrgQuery {
      return new OrgQuery();
    }

    @Mutation(() => OrgMutation, { name: ns })
    mutation(@Ctx() ctx: ForceContext): OrgMutation {
      requireWriter(ctx);
      return new OrgMutation();
    }
  }

  @Resolver(() => OrgQuery)
  class OrgQueryResolver {
    @FieldResolver(() => IdentityPage, { description: "Identities, newest first." })
    async identities(
      @Ctx() ctx: ForceContext,
      @Arg("first", () => Int, { defaultValue: 20 }) first: number,
      @Arg("after", () => String, { nullable: true }) after: string | null,
    ) {
      checkFirst(first);
      const qb = ctx.db.getRepository(IdentityRow).createQueryBuilder("r");
      await ctx.access.restrict(qb, "identity", "r");
      return mapPage(await keysetPage(qb, "r", first, after), (r) => identityView(org.code, names, r));
    }

    @FieldResolver(() => ForumPage, { description: "Forums, newest first." })
    async forums(
      @Ctx() ctx: ForceContext,
      @Arg("first", () => Int, { defaultValue: 20 }) first: number,
      @Arg("after", () => String, { nullable: true }) after: string | null,
    ) {
      checkFirst(first);
      const qb = ctx.db.getRepository(ForumRow).createQueryBuilder("r");
      await ctx.access.restrict(qb, "forum", "r");
      return mapPage(await keysetPage(qb, "r", first, after), (r) => forumView(org.code, names, r));
    }

    @FieldResolver(() => LinkPage, { description: "Suspect links, newest first." })
    async links(
      @Ctx() ctx: ForceContext,
      @Arg("first", () => Int, { defaultValue: 20 }) first: number,
      @Arg("after", () => String, { nullable: true }) after: string | null,
    ) {
      checkFirst(first);
      const qb = ctx.db.getRepository(LinkRow).createQueryBuilder("r");
      await ctx.access.restrict(qb, "link", "r");
      return mapPage(await keysetPage(qb, "r", first, after), (r) => linkView(org.code, names, r));
    }

    @FieldResolver(() => OrgIdentity, { nullable: true })
    identity(@Ctx() ctx: ForceContext, @Arg("id", () => ID) id: string) {
      return ctx.loaders.identity.load(id);
    }
  }

  @Resolver(() => OrgMutation)
  class OrgMutationResolver {
    @FieldResolver(() => OrgIdentity)
    async recordOnlineIdentity(@Ctx() ctx: ForceContext, @Arg("input", () => RecordOnlineIdentityInput) input: RecordOnlineIdentityInput) {
      requireWriter(ctx);
      const row = await new RecordService(ctx.db, org.code).recordIdentity(ctx.principal, input);
      ctx.log.info({ requestId: ctx.requestId, sub: ctx.principal.sub, recordId: row.id }, "identity recorded");
      return identityView(org.code, names, row);
    }

    @FieldResolver(() => OrgForum)
    async recordForum(@Ctx() ctx: ForceContext, @Arg("input", () => RecordForumInput) input: RecordForumInput) {
      requireWriter(ctx);
      const row = await new RecordService(ctx.db, org.code).recordForum(ctx.principal, input);
      ctx.log.info({ requestId: ctx.requestId, sub: ctx.principal.sub, recordId: row.id }, "forum recorded");
      return forumView(org.code, names, row);
    }

    @FieldResolver(() => OrgLink)
    async linkIdentities(@Ctx() ctx: ForceContext, @Arg("input", () => LinkIdentitiesInput) input: LinkIdentitiesInput) {
      requireWriter(ctx);
      const row = await new RecordService(ctx.db, org.code).linkIdentities(ctx.principal, input);
      ctx.log.info({ requestId: ctx.requestId, sub: ctx.principal.sub, recordId: row.id }, "link recorded");
      return linkView(org.code, names, row);
    }
  }

  @Resolver(() => OrgIdentity)
  class IdentityLinksResolver {
    @FieldResolver(() => [OrgLink])
    async links(
      @Root() identity: IdentityView,
      @Ctx() ctx: ForceContext,
      @Arg("first", () => Int, { defaultValue: 20 }) first: number,
    ): Promise<LinkView[]> {
      checkFirst(first);
      const qb = ctx.db
        .getRepository(LinkRow)
        .createQueryBuilder("r")
        .where("(r.from_id = :id OR r.to_identity_id = :id)", { id: identity.id });
      await ctx.access.restrict(qb, "link", "r");
      const page = await keysetPage(qb, "r", first, null);
      return page.nodes.map((r) => linkView(org.code, names, r));
    }
  }

  return {
    names,
    resolvers: [RootResolver, OrgQueryResolver, OrgMutationResolver, IdentityLinksResolver] as const,
    orphanedTypes: [OrgIdentity, OrgForum, OrgLink],
  };
}

const built = new Map<string, ReturnType<typeof createOrgClasses>>();

export async function buildForceSubgraph(org: OrgEntry): Promise<BuiltSubgraph> {
  let classes = built.get(org.code);
  if (!classes) {
    classes = createOrgClasses(org);
    built.set(org.code, classes);
  }
  const { names } = classes;
  // Every entity fetch (`_entities`, called by the gateway or directly) goes through the
  // same policy-checked loaders as the root fields.
  return buildSubgraph(
    { resolvers: [...classes.resolvers] as [Function, ...Function[]], orphanedTypes: classes.orphanedTypes },
    {
      [names.identity]: { __resolveReference: (ref: { id: string }, ctx: ForceContext) => ctx.loaders.identity.load(ref.id) },
      [names.forum]: { __resolveReference: (ref: { id: string }, ctx: ForceContext) => ctx.loaders.forum.load(ref.id) },
      [names.link]: { __resolveReference: (ref: { id: string }, ctx: ForceContext) => ctx.loaders.link.load(ref.id) },
    },
  );
}
