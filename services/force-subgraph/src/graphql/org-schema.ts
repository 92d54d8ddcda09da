import "reflect-metadata";
import { z } from "zod";
import { Arg, Ctx, Directive, Field, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root, registerEnumType } from "type-graphql";
import { CLASSIFICATIONS, findOrg, parseGlobalId, ROLES, type OrgEntry, type Principal, type Role } from "@interforce/domain";
import type { AuditEventRow } from "@interforce/audit";
import {
  ACTIONS,
  auditEventSqlPredicate,
  explainAccess,
  HIDDEN_END,
  ownLinkEnds,
  positional,
  ownIdsIn,
  redactAuditEvent,
  type Action,
  type PolicyRecord,
} from "@interforce/policy";
import {
  auditedKind,
  authorize,
  badInput,
  buildSubgraph,
  ClassificationEnum,
  validate,
  type BuiltSubgraph,
  type ReferenceResolvers,
} from "@interforce/server-kit";
import { auditRead, type ForceContext } from "../context.js";
import { END_ENTITIES } from "../modules/records/write-access.js";
import { readableOwnIds } from "../modules/records/readable-ids.js";
import { ForumRow, IdentityRow, LinkRow, type MarkedRecord } from "../db/entities.js";
import { readPage } from "../modules/records/read.service.js";
import { RecordService } from "../modules/records/record.service.js";
import { AccessExplanation, AuditPage, PrincipalInput } from "./admin-types.js";
import { FORCE_MODULES } from "./modules.js";
import { partsOf, type OrgClasses } from "./org-classes.js";
import { LinkIdentitiesInput, RecordForumInput, RecordOnlineIdentityInput } from "./inputs.js";
import { Forum, IntelligenceRecord, OnlineIdentity, PageInfo, SuspectLink, SuspectLinkPage } from "./types.js";
import { forumView, identityView, linkView, policyRecord, typeNamesFor, type IdentityView } from "./views.js";

const ReviewDecisionEnum = { RETAIN: "RETAIN", DELETE: "DELETE" } as const;
registerEnumType(ReviewDecisionEnum, { name: "ReviewDecision", description: "MoPI review outcome: retain with a new date, or erase." });

/**
 * The action catalogue of @interforce/policy decides who may attempt what in this org's
 * namespace (DESIGN §3: only the org's own principals write there). A refused write is
 * audited: attempted writes into another force's records matter to its owner.
 */
async function gate(ctx: ForceContext, action: Action): Promise<void> {
  await authorize(ctx.principal, action, {
    org: ctx.org.code,
    purpose: ctx.purpose,
    refused: async (reason) => {
      await ctx.audit.record({
        action: ACTIONS[action].purpose ? "CONSULTATION" : "ALTERATION",
        operation: `${ctx.org.code.toLowerCase()} ${action}`,
        principal: ctx.principal,
        purpose: ctx.purpose,
        requestId: ctx.requestId,
        records: [],
        detail: { denied: reason },
      });
    },
  });
}

const PrincipalSchema = z.object({
  org: z.string().refine((c) => findOrg(c) !== undefined, "is not an org in the registry"),
  roles: z.array(z.enum(ROLES)).min(1).max(10),
  clearance: z.enum(CLASSIFICATIONS),
  covert: z.boolean(),
});

const auditView = (e: AuditEventRow) => ({
  ...e,
  roles: e.roles ?? [],
  records: e.records.map((r) => ({ ...r, kind: auditedKind(r.kind) })),
  detail: (e.detail ?? {}) as Record<string, unknown>,
});

/**
 * The per-org types and resolvers, generated from one template: `KentOnlineIdentity`,
 * `KentForum`, `KentSuspectLink`, the `kent` query and mutation namespaces. Federation
 * routes by type name, so each force must own distinct types.
 */
function createOrgClasses(org: OrgEntry) {
  const p = org.typePrefix;
  const ns = org.code.toLowerCase();
  const names = typeNamesFor(p);
  const views = {
    identity: (r: IdentityRow, d: Parameters<typeof identityView>[3]) => identityView(org, names, r, d),
    forum: (r: ForumRow, d: Parameters<typeof forumView>[3]) => forumView(org, names, r, d),
    link: (r: LinkRow, d: Parameters<typeof linkView>[3]) => linkView(org, names, r, d),
  };
  const service = (ctx: ForceContext, idempotencyKey?: string | null) =>
    new RecordService(ctx.db, org.code, ctx.audit, { requestId: ctx.requestId, purpose: ctx.purpose, idempotencyKey });
  const KEY_DOC = { nullable: true, description: "Any unique string: retrying with the same key returns the first result and writes nothing." };
  const ownerView = (kind: "identity" | "forum" | "link", row: MarkedRecord) =>
    (views[kind] as (r: MarkedRecord, d: { level: "FULL"; reason: string }) => unknown)(row, { level: "FULL", reason: "owner" });

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

  @ObjectType(`${p}SuspectLinkPage`, { implements: SuspectLinkPage })
  class LinkPage {
    @Field(() => [OrgLink]) nodes: OrgLink[];
    @Field(() => PageInfo) pageInfo: PageInfo;
  }

  @ObjectType(`${p}Query`, { description: `${org.name}: its records readable by the caller, by policy.` })
  class OrgQuery {}

  @ObjectType(`${p}Mutation`, { description: `${org.name}: writes, for ${org.code} principals only.` })
  class OrgMutation {}

  @Resolver()
  class RootResolver {
    @Query(() => OrgQuery, { name: ns })
    query(): OrgQuery {
      return new OrgQuery();
    }

    @Mutation(() => OrgMutation, { name: ns })
    async mutation(@Ctx() ctx: ForceContext): Promise<OrgMutation> {
      await gate(ctx, "record.write");
      return new OrgMutation();
    }
  }

  @Resolver(() => OrgQuery)
  class OrgQueryResolver {
    @FieldResolver(() => IdentityPage, { description: "Identities the caller may read, newest first." })
    async identities(
      @Ctx() ctx: ForceContext,
      @Arg("first", () => Int, { defaultValue: 20 }) first: number,
      @Arg("after", () => String, { nullable: true }) after: string | null,
    ) {
      await gate(ctx, "record.list");
      const qb = ctx.db.getRepository(IdentityRow).createQueryBuilder("r");
      return readPage(ctx, "identity", qb, first, after, views.identity, `${ns}.identities`);
    }

    @FieldResolver(() => ForumPage, { description: "Forums the caller may read, newest first." })
    async forums(
      @Ctx() ctx: ForceContext,
      @Arg("first", () => Int, { defaultValue: 20 }) first: number,
      @Arg("after", () => String, { nullable: true }) after: string | null,
    ) {
      await gate(ctx, "record.list");
      const qb = ctx.db.getRepository(ForumRow).createQueryBuilder("r");
      return readPage(ctx, "forum", qb, first, after, views.forum, `${ns}.forums`);
    }

    @FieldResolver(() => LinkPage, { description: "Suspect links the caller may read, newest first." })
    async links(
      @Ctx() ctx: ForceContext,
      @Arg("first", () => Int, { defaultValue: 20 }) first: number,
      @Arg("after", () => String, { nullable: true }) after: string | null,
    ) {
      await gate(ctx, "record.list");
      const qb = ctx.db.getRepository(LinkRow).createQueryBuilder("r");
      return readPage(ctx, "link", qb, first, after, views.link, `${ns}.links`);
    }

    @FieldResolver(() => OrgIdentity, { nullable: true })
    async identity(@Ctx() ctx: ForceContext, @Arg("id", () => ID) id: string) {
      await gate(ctx, "record.read");
      return ctx.loaders.identity.load(id);
    }

    @FieldResolver(() => OrgForum, { nullable: true })
    async forum(@Ctx() ctx: ForceContext, @Arg("id", () => ID) id: string) {
      await gate(ctx, "record.read");
      return ctx.loaders.forum.load(id);
    }

    @FieldResolver(() => OrgLink, { nullable: true })
    async link(@Ctx() ctx: ForceContext, @Arg("id", () => ID) id: string) {
      await gate(ctx, "record.read");
      return ctx.loaders.link.load(id);
    }

    @FieldResolver(() => AccessExplanation, { nullable: true, description: "FORCE_ADMIN: what a principal would get of one of our records, and why." })
    async explainAccess(@Ctx() ctx: ForceContext, @Arg("recordId", () => ID) recordId: string, @Arg("as", () => PrincipalInput) as: PrincipalInput) {
      await gate(ctx, "access.explain");
      const who = validate(PrincipalSchema, as, "as");
      const g = parseGlobalId(recordId);
      if (!g || g.org !== org.code) throw badInput(`recordId must be a global id of a ${org.code} record`, "recordId");
      const entity = { identity: IdentityRow, forum: ForumRow, link: LinkRow }[g.kind] as new () => MarkedRecord;
      const row = await ctx.db.getRepository(entity).findOneBy({ id: g.uuid });
      if (!row) return null;
      const principal: Principal = { sub: "explain", ...who, roles: who.roles as Role[], clearance: who.clearance };
      const record = policyRecord(org.code, g.kind, row);
      const ownEnds: (PolicyRecord | null)[] = [];
      if (g.kind === "link") {
        for (const end of ownLinkEnds(org.code, row as LinkRow)) {
          const endRow = await ctx.db.getRepository(END_ENTITIES[end.kind]).findOneBy({ id: end.uuid });
          ownEnds.push(endRow ? policyRecord(org.code, end.kind, endRow) : null);
        }
      }
      const inputs = await ctx.access.inputs();
      const explained = explainAccess(ctx.principal, principal, record, inputs, ownEnds);
      // Need-to-know binds the admin: a record it may not read is answered as one that does not exist.
      if (!explained) {
        const mine = await ctx.access.decideRow(g.kind, row);
        await auditRead(
          ctx,
          `${ns}.explainAccess`,
          [{ id: recordId, kind: g.kind, decision: mine.level === "FULL" ? { level: "NONE", reason: HIDDEN_END } : mine }],
          { refused: "the admin may not read the record" },
        );
        return null;
      }
      const { read, search } = explained;
      await auditRead(ctx, `${ns}.explainAccess`, [{ id: recordId, kind: g.kind, decision: { level: "FULL", reason: "owner" } }], { as: who, read, search });
      return { read: { ...read, contact: org.spoc }, search: { ...search, contact: org.spoc } };
    }

    @FieldResolver(() => AuditPage, {
      description:
        "FORCE_ADMIN: the audit log, newest first — who touched a record (recordId), everything one principal did (sub), or everything principals of an org did (org).",
    })
    async auditTrail(
      @Ctx() ctx: ForceContext,
      @Arg("recordId", () => ID, { nullable: true }) recordId: string | null,
      @Arg("sub", () => String, { nullable: true }) sub: string | null,
      @Arg("org", () => String, { nullable: true }) byOrg: string | null,
      @Arg("from", () => Date, { nullable: true }) from: Date | null,
      @Arg("to", () => Date, { nullable: true }) to: Date | null,
      @Arg("first", () => Int, { defaultValue: 20 }) first: number,
      @Arg("after", () => String, { nullable: true }) after: string | null,
    ) {
      await gate(ctx, "audit.read");
      const given = [recordId, sub, byOrg].filter((v) => v != null);
      if (given.length !== 1) throw badInput("give exactly one of recordId, sub and org", "recordId");
      // PostgreSQL text cannot hold NUL; such a value can match nothing, so it is bad input.
      if (given.some((v) => v!.includes("\u0000"))) throw badInput("recordId, sub and org cannot contain NUL characters", "recordId");
      // Need-to-know binds admins too: only events about records the reader may read now (the auditor reads all).
      const inputs = await ctx.access.inputs();
      const visible = auditEventSqlPredicate(ctx.principal, org.code, inputs, "e");
      const opts = { first, after, from, to, visible: (start: number) => positional(visible, start) };
      let page;
      try {
        page =
          recordId != null
            ? await ctx.audit.listByRecord(recordId, opts)
            : sub != null
              ? await ctx.audit.listByPrincipal(sub, opts)
              : await ctx.audit.listByOrg(byOrg!, opts);
      } catch (e) {
        if (e instanceof RangeError) throw badInput(e.message);
        throw e;
      }
      // Reading the audit log is itself a consultation of the log.
      await ctx.audit.record({
        action: "CONSULTATION",
        operation: `${ns}.auditTrail`,
        principal: ctx.principal,
        purpose: ctx.purpose,
        requestId: ctx.requestId,
        records: [],
        detail: { recordId, sub, org: byOrg, from, to, returned: page.nodes.length },
      });
      // Ids the reader may not read now (another org's, or the force's own it is not cleared for) are withheld, in details too, as are the principals others asked the log about.
      const readable = await readableOwnIds(ctx, ownIdsIn(org.code, page.nodes));
      return { nodes: page.nodes.map((e) => auditView(redactAuditEvent(ctx.principal, org.code, e, (id) => readable.has(id)))), pageInfo: page.pageInfo };
    }
  }

  @Resolver(() => OrgMutation)
  class OrgMutationResolver {
    @FieldResolver(() => OrgIdentity)
    async recordOnlineIdentity(
      @Ctx() ctx: ForceContext,
      @Arg("input", () => RecordOnlineIdentityInput) input: RecordOnlineIdentityInput,
      @Arg("idempotencyKey", () => String, KEY_DOC) key: string | null,
    ) {
      await gate(ctx, "identity.record");
      const row = await service(ctx, key).recordIdentity(ctx.principal, input);
      ctx.log.info({ requestId: ctx.requestId, sub: ctx.principal.sub, recordId: row.id }, "identity recorded");
      return ownerView("identity", row);
    }

    @FieldResolver(() => OrgForum)
    async recordForum(
      @Ctx() ctx: ForceContext,
      @Arg("input", () => RecordForumInput) input: RecordForumInput,
      @Arg("idempotencyKey", () => String, KEY_DOC) key: string | null,
    ) {
      await gate(ctx, "forum.record");
      const row = await service(ctx, key).recordForum(ctx.principal, input);
      ctx.log.info({ requestId: ctx.requestId, sub: ctx.principal.sub, recordId: row.id }, "forum recorded");
      return ownerView("forum", row);
    }

    @FieldResolver(() => OrgLink)
    async linkIdentities(
      @Ctx() ctx: ForceContext,
      @Arg("input", () => LinkIdentitiesInput) input: LinkIdentitiesInput,
      @Arg("idempotencyKey", () => String, KEY_DOC) key: string | null,
    ) {
      await gate(ctx, "link.record");
      const row = await service(ctx, key).linkIdentities(ctx.principal, input);
      ctx.log.info({ requestId: ctx.requestId, sub: ctx.principal.sub, recordId: row.id }, "link recorded");
      return ownerView("link", row);
    }

    @FieldResolver(() => IntelligenceRecord, { description: "Raise or lower a record's classification; audited with the old value." })
    async reclassifyRecord(
      @Ctx() ctx: ForceContext,
      @Arg("id", () => ID) id: string,
      @Arg("classification", () => ClassificationEnum) classification: string,
      @Arg("reason", () => String) reason: string,
      @Arg("idempotencyKey", () => String, KEY_DOC) key: string | null,
    ) {
      await gate(ctx, "record.reclassify");
      const { kind, row } = await service(ctx, key).reclassify(ctx.principal, id, classification, reason);
      return ownerView(kind, row);
    }

    @FieldResolver(() => IntelligenceRecord, { nullable: true, description: "MoPI review: RETAIN with nextReviewDue, or DELETE (erase; returns null)." })
    async reviewRecord(
      @Ctx() ctx: ForceContext,
      @Arg("id", () => ID) id: string,
      @Arg("decision", () => ReviewDecisionEnum) decision: "RETAIN" | "DELETE",
      @Arg("nextReviewDue", () => Date, { nullable: true }) nextReviewDue: Date | null,
      @Arg("reason", () => String, { nullable: true }) reason: string | null,
      @Arg("idempotencyKey", () => String, KEY_DOC) key: string | null,
    ) {
      await gate(ctx, "record.review");
      const { kind, row } = await service(ctx, key).review(ctx.principal, id, decision, nextReviewDue, reason);
      return row ? ownerView(kind, row) : null;
    }
  }

  @Resolver(() => OrgIdentity)
  class IdentityLinksResolver {
    @FieldResolver(() => LinkPage, { description: "Links from this identity recorded by its owner, newest first." })
    async links(
      @Root() identity: IdentityView,
      @Ctx() ctx: ForceContext,
      @Arg("after", () => String, { nullable: true }) after: string | null,
      @Arg("first", () => Int, { defaultValue: 20 }) first: number,
    ) {
      const qb = ctx.db.getRepository(LinkRow).createQueryBuilder("r").where("(r.from_id = :id OR r.to_identity_id = :id)", { id: identity.id });
      const page = await readPage(ctx, "link", qb, first, after, views.link, `${ns}.identity.links`);
      return { __typename: `${p}SuspectLinkPage`, ...page };
    }
  }

  const classes: OrgClasses = { org, ns, names, OrgIdentity, OrgForum, OrgLink, OrgQuery, OrgMutation, gate };
  const parts = FORCE_MODULES.map((m) => partsOf(m(classes)));
  return {
    names,
    resolvers: [RootResolver, OrgQueryResolver, OrgMutationResolver, IdentityLinksResolver, ...parts.flatMap((m) => m.resolvers)],
    references: Object.assign({}, ...parts.map((m) => m.references)) as ReferenceResolvers,
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
  // same policy-checked, audited loaders as the root fields.
  return buildSubgraph(
    { resolvers: classes.resolvers as [Function, ...Function[]], orphanedTypes: classes.orphanedTypes },
    {
      [names.identity]: { __resolveReference: (ref: { id: string }, ctx: ForceContext) => ctx.loaders.identity.load(ref.id) },
      [names.forum]: { __resolveReference: (ref: { id: string }, ctx: ForceContext) => ctx.loaders.forum.load(ref.id) },
      [names.link]: { __resolveReference: (ref: { id: string }, ctx: ForceContext) => ctx.loaders.link.load(ref.id) },
      ...classes.references,
    },
  );
}
