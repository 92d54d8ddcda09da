import { z } from "zod";
import type { DataSource } from "typeorm";
import type { AuditLog } from "@interforce/audit";
import { AuthError, verifyServiceRequest } from "@interforce/auth";
import { formatGlobalId, parseGlobalId, type OrgEntry, type Principal, type RecordKind } from "@interforce/domain";
import type { Logger, Route } from "@interforce/server-kit";
import { auditRead, buildContext, type ForceContext } from "../context.js";
import { ForumRow, IdentityRow, LinkRow } from "../db/entities.js";
import type { PolicyClient } from "../policy-client.js";

/**
 * Questions the hub asks this force on behalf of a principal, for answers that span
 * forces (the link graph, cross-force lists). The hub signs the call; the principal's own
 * token travels with it and is verified here, and this force applies its own policy and
 * writes its own audit, exactly as for a GraphQL read.
 */
const Body = z.object({
  op: z.enum(["links", "visible", "identities", "forums"]),
  token: z.string().min(10).max(8192),
  purpose: z.string().min(1).max(500),
  requestId: z.string().max(64),
  args: z.record(z.string(), z.unknown()),
});

const Ids = z.array(z.string().max(100)).max(500);
const LinkArgs = z.object({ ids: Ids, types: z.array(z.enum(["SAME_PERSON", "ALIAS_OF", "COMMUNICATES_WITH", "MEMBER_OF", "ADMIN_OF"])).max(5).nullish() });
const Cursor = z.object({ t: z.number().int(), id: z.string().max(100) }).nullish();
const IdentityArgs = z.object({
  first: z.number().int().min(1).max(100),
  after: Cursor,
  platform: z.string().max(30).nullish(),
  status: z.string().max(30).nullish(),
  lastSeenFrom: z.string().datetime().nullish(),
  lastSeenTo: z.string().datetime().nullish(),
  source: z.array(z.enum(["1", "2", "3"])).max(3).nullish(),
  assessment: z.array(z.enum(["A", "B", "C", "D", "E"])).max(5).nullish(),
});
const ForumArgs = z.object({
  first: z.number().int().min(1).max(100),
  after: Cursor,
  platform: z.string().max(30).nullish(),
  kind: z.string().max(30).nullish(),
});

export interface HubQueryDeps {
  org: OrgEntry;
  db: DataSource;
  policy: PolicyClient;
  audit: AuditLog;
  log: Logger;
  secret: string;
  verifyToken: (token: string) => Promise<Principal>;
}

/** Keyset over (time DESC, global id ASC): the same order at every force, so the hub can merge pages. */
function keyset(alias: string, column: string, org: string, kind: RecordKind, after: { t: number; id: string } | null | undefined) {
  if (!after) return null;
  const g = parseGlobalId(after.id);
  const at = new Date(after.t);
  const prefix = `${org}:${kind}:`;
  // Global ids compare as plain strings (not locale order), exactly as the hub merges them.
  const sameTime = g?.org === org ? `(${column} = :kt AND ${alias}.id > :ku)` : after.id < prefix ? `(${column} = :kt)` : "false";
  return { sql: `(${column} < :kt OR ${sameTime})`, params: { kt: at, ku: g?.uuid ?? "00000000-0000-0000-0000-000000000000" } };
}

export function hubQueryRoute(deps: HubQueryDeps): Route {
  const { org } = deps;
  return {
    method: "POST",
    path: "/internal/hub-query",
    async handle(req) {
      try {
        const caller = verifyServiceRequest({ secret: deps.secret, headers: req.headers, body: req.rawBody });
        if (caller !== "HUB") throw new AuthError("only the hub may ask");
      } catch (e) {
        deps.log.warn({ requestId: req.requestId, reason: (e as Error).message }, "internal hub query refused");
        return { status: 403, json: { error: "FORBIDDEN" } };
      }
      let body: z.infer<typeof Body>;
      try {
        body = Body.parse(JSON.parse(req.rawBody));
      } catch {
        return { status: 400, json: { error: "BAD_REQUEST" } };
      }
      let principal: Principal;
      try {
        principal = await deps.verifyToken(body.token);
      } catch {
        return { status: 401, json: { error: "UNAUTHENTICATED" } };
      }
      const ctx = buildContext({ org, principal, purpose: body.purpose, requestId: body.requestId || req.requestId, db: deps.db, policy: deps.policy, audit: deps.audit, log: deps.log });
      try {
        return { status: 200, json: await answer(ctx, body.op, body.args) };
      } catch (e) {
        if (e instanceof z.ZodError) return { status: 400, json: { error: "BAD_REQUEST" } };
        throw e;
      }
    },
  };
}

async function answer(ctx: ForceContext, op: z.infer<typeof Body>["op"], raw: Record<string, unknown>): Promise<unknown> {
  const code = ctx.org.code;
  if (op === "visible") {
    const ids = Ids.parse(raw.ids);
    const visible: string[] = [];
    await Promise.all(
      ids.map(async (id) => {
        const g = parseGlobalId(id);
        if (!g || g.org !== code) return;
        const loader = g.kind === "identity" ? ctx.loaders.identity : g.kind === "forum" ? ctx.loaders.forum : ctx.loaders.link;
        if (await loader.load(id)) visible.push(id);
      }),
    );
    return { visible };
  }
  if (op === "links") {
    const args = LinkArgs.parse(raw);
    if (args.ids.length === 0) return { links: [] };
    const qb = ctx.db
      .getRepository(LinkRow)
      .createQueryBuilder("r")
      .where("(r.from_id IN (:...ids) OR r.to_identity_id IN (:...ids) OR r.to_forum_id IN (:...ids))", { ids: args.ids });
    if (args.types?.length) qb.andWhere("r.link_type IN (:...types)", { types: args.types });
    await ctx.access.restrict(qb, "link", "r");
    const rows = await qb.orderBy("r.created_at", "DESC").limit(1000).getMany();
    const readable = [];
    for (const row of rows) {
      const decision = await ctx.access.decideRow("link", row);
      if (decision.level === "FULL") readable.push({ row, decision });
    }
    await auditRead(ctx, "linkGraph.links", readable.map((r) => ({ id: formatGlobalId(code, "link", r.row.id), kind: "link" as const, decision: r.decision })), { asked: args.ids.length });
    return {
      links: readable.map(({ row }) => ({
        id: formatGlobalId(code, "link", row.id),
        fromId: row.fromId,
        toIdentityId: row.toIdentityId,
        toForumId: row.toForumId,
        linkType: row.linkType,
      })),
    };
  }
  if (op === "identities") {
    const a = IdentityArgs.parse(raw);
    const qb = ctx.db.getRepository(IdentityRow).createQueryBuilder("r");
    const t = "coalesce(r.last_seen, 'epoch'::timestamptz)";
    if (a.platform) qb.andWhere("r.platform = :platform", { platform: a.platform });
    if (a.status) qb.andWhere("r.status = :status", { status: a.status });
    if (a.lastSeenFrom) qb.andWhere("r.last_seen >= :from", { from: new Date(a.lastSeenFrom) });
    if (a.lastSeenTo) qb.andWhere("r.last_seen < :to", { to: new Date(a.lastSeenTo) });
    if (a.source?.length) qb.andWhere("r.source_eval IN (:...source)", { source: a.source });
    if (a.assessment?.length) qb.andWhere("r.assessment IN (:...assessment)", { assessment: a.assessment });
    const ks = keyset("r", t, code, "identity", a.after);
    if (ks) qb.andWhere(ks.sql, ks.params);
    await ctx.access.restrict(qb, "identity", "r");
    const rows = await qb.orderBy(t, "DESC").addOrderBy("r.id", "ASC").limit(a.first).getMany();
    const decided = [];
    for (const row of rows) {
      const decision = await ctx.access.decideRow("identity", row);
      if (decision.level === "FULL") decided.push({ row, decision });
    }
    await auditRead(ctx, "identities", decided.map((d) => ({ id: formatGlobalId(code, "identity", d.row.id), kind: "identity" as const, decision: d.decision })), { filter: a });
    return { nodes: decided.map(({ row }) => ({ id: formatGlobalId(code, "identity", row.id), t: row.lastSeen?.getTime() ?? 0 })) };
  }
  const a = ForumArgs.parse(raw);
  const qb = ctx.db.getRepository(ForumRow).createQueryBuilder("r");
  if (a.platform) qb.andWhere("r.platform = :platform", { platform: a.platform });
  if (a.kind) qb.andWhere("r.kind = :kind", { kind: a.kind });
  const ks = keyset("r", "r.created_at", code, "forum", a.after);
  if (ks) qb.andWhere(ks.sql, ks.params);
  await ctx.access.restrict(qb, "forum", "r");
  const rows = await qb.orderBy("r.created_at", "DESC").addOrderBy("r.id", "ASC").limit(a.first).getMany();
  const decided = [];
  for (const row of rows) {
    const decision = await ctx.access.decideRow("forum", row);
    if (decision.level === "FULL") decided.push({ row, decision });
  }
  await auditRead(ctx, "forums", decided.map((d) => ({ id: formatGlobalId(code, "forum", d.row.id), kind: "forum" as const, decision: d.decision })), { filter: a });
  return { nodes: decided.map(({ row }) => ({ id: formatGlobalId(code, "forum", row.id), t: row.createdAt.getTime() })) };
}
