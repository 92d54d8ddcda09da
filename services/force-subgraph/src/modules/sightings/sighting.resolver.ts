import { Arg, Ctx, Directive, Field, FieldResolver, Int, ObjectType, Resolver } from "type-graphql";
import { formatOwnedId, type Classification } from "@interforce/domain";
import { mayReadSighting, sightingSqlPredicate, orgLiteral } from "@interforce/policy";
import type { ForceContext } from "../../context.js";
import { PageInfo } from "../../graphql/types.js";
import type { ForceModule, OrgClasses } from "../../graphql/org-classes.js";
import { checkFirst, keysetPage } from "../../pagination.js";
import { auditOwnedRead, ownedRecordLoader } from "../monitoring/owned-records.js";
import { SightingRow } from "./sighting.entity.js";
import { refTo } from "../../refs.js";
import { recordSighting } from "./sighting.service.js";
import { RecordSightingInput, Sighting } from "./sighting.types.js";

const KEY_DOC = { nullable: true, description: "Any unique string: retrying with the same key returns the first result and writes nothing." };

export const sightingsModule: ForceModule = (c: OrgClasses) => {
  const code = c.org.code;
  const typeName = `${c.org.typePrefix}Sighting`;

  @ObjectType(typeName, { implements: Sighting })
  @Directive(`@key(fields: "id")`)
  class OrgSighting extends Sighting {}

  @ObjectType(`${c.org.typePrefix}SightingPage`)
  class SightingPage {
    @Field(() => [OrgSighting]) nodes: OrgSighting[];
    @Field(() => PageInfo) pageInfo: PageInfo;
  }

  const view = (row: SightingRow) => ({
    __typename: typeName,
    id: formatOwnedId(code, "sighting", row.id),
    org: code,
    identity: refTo(row.identityId),
    seenAt: row.seenAt,
    forum: row.forumId ? refTo(row.forumId) : null,
    note: row.note,
    classification: row.classification,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
  });
  const ref = (row: SightingRow) => ({ id: formatOwnedId(code, "sighting", row.id), kind: "sighting" as const });
  const readable = (ctx: ForceContext, row: SightingRow) =>
    mayReadSighting(ctx.principal, { org: code, identityOrg: row.identityOrg, classification: row.classification as Classification });

  // Reached through the hub's `sightings` field, which has already asked the identity's
  // owner whether the caller may read the identity; here the sighting org applies the rule.
  const loaderFor = ownedRecordLoader({
    org: code,
    kind: "sighting",
    ref: "sighting",
    entity: SightingRow,
    readable: async (ctx) => (row) => readable(ctx, row),
    view,
  });

  @Resolver(() => c.OrgMutation)
  class SightingMutationResolver {
    @FieldResolver(() => OrgSighting, { description: `Record that ${code} saw an identity (of any org); its owner is shown who saw it, when and where.` })
    async recordSighting(
      @Ctx() ctx: ForceContext,
      @Arg("input", () => RecordSightingInput) input: RecordSightingInput,
      @Arg("idempotencyKey", () => String, KEY_DOC) key: string | null,
    ) {
      await c.gate(ctx, "sighting.record");
      const row = await recordSighting(ctx, ctx.principal, input, key);
      ctx.log.info({ requestId: ctx.requestId, sub: ctx.principal.sub, sightingId: row.id }, "sighting recorded");
      return view(row);
    }
  }

  @Resolver(() => c.OrgQuery)
  class SightingQueryResolver {
    @FieldResolver(() => SightingPage, {
      description: `Sightings recorded by ${code}, newest first (for ${code} principals; an identity's owner reads them on the identity's sightings field).`,
    })
    async sightings(
      @Ctx() ctx: ForceContext,
      @Arg("first", () => Int, { defaultValue: 20 }) first: number,
      @Arg("after", () => String, { nullable: true }) after: string | null,
    ) {
      await c.gate(ctx, "sighting.list");
      checkFirst(first);
      // This list is the sighting org's own: another org's principals read a sighting of their
      // identity through the identity's sightings field, which the hub routes here by id.
      const rule =
        ctx.principal.org === code
          ? sightingSqlPredicate(ctx.principal, { org: orgLiteral(code), identityOrg: "r.identity_org", classification: "r.classification" })
          : { sql: "(1 = 0)", params: {} };
      const qb = ctx.db.getRepository(SightingRow).createQueryBuilder("r").where(rule.sql, rule.params);
      const page = await keysetPage(qb, "r", first, after);
      const rows = page.nodes.filter((r) => readable(ctx, r));
      await auditOwnedRead(ctx, `${c.ns}.sightings`, rows.map(ref), { first, after });
      return { nodes: rows.map(view), pageInfo: page.pageInfo };
    }
  }

  return {
    resolvers: [SightingMutationResolver, SightingQueryResolver],
    references: { [typeName]: { __resolveReference: (r: { id: string }, ctx: ForceContext) => loaderFor(ctx).load(r.id) } },
  };
};
