import type { z } from "zod";
import { In, type DataSource } from "typeorm";
import type { AuditLog } from "@interforce/audit";
import { AuthError, claimedServiceCaller, HUB_SERVICE, verifyServiceRequest, type NonceGuard } from "@interforce/auth";
import {
  INTERNAL_QUERY_NAMES,
  INTERNAL_QUERY_PATH,
  InternalQueryBody,
  parseInternalQuery,
  type InternalQuery,
  type InternalQueryArgs,
  type InternalQueryName,
  type InternalQueryResponse,
} from "@interforce/contracts";
import { formatGlobalId, formatOwnedId, parseGlobalId, parseOwnedId, type LinkType, type OrgEntry, type Principal, type RecordKind } from "@interforce/domain";
import type { Logger, RefusalAuditCap, RequestInfo, Route } from "@interforce/server-kit";
import { auditRead, buildContext, decideRows, type ForceContext } from "../context.js";
import { ForumRow, IdentityRow, LinkRow } from "../db/entities.js";
import { assignmentRule } from "../modules/monitoring/assignment-rule.js";
import { MonitoringAssignmentRow } from "../modules/monitoring/monitoring.entity.js";
import { auditOwnedRead } from "../modules/monitoring/owned-records.js";
import type { PolicyClient } from "../policy-client.js";

/**
 * Questions the hub asks this force on behalf of a principal, for answers that span
 * forces (the link graph, cross-force lists). The hub signs the call for this route and
 * this force, once; the principal's own token travels with it and is verified here, and
 * this force applies its own policy and writes its own audit, exactly as for a GraphQL
 * read. Every refused call is audited too.
 */
export const HUB_QUERY_PATH = INTERNAL_QUERY_PATH;

/** The request ids the HTTP layer accepts in x-request-id; anything else never reaches the audit log. */
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export interface HubQueryDeps {
  org: OrgEntry;
  db: DataSource;
  policy: PolicyClient;
  audit: AuditLog;
  log: Logger;
  secret: string;
  verifyToken: (token: string) => Promise<Principal>;
  /** The nonces of the hub's accepted calls, shared by this force's replicas. */
  replay: NonceGuard;
  /** Which anonymous refusals are audited one by one, shared by this force's replicas. */
  refusals: RefusalAuditCap;
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

/** What is recorded of a refused call. */
interface Refusal {
  status: number;
  error: string;
  reason: string;
  /** Who the call was for, when already known; left out, it is found from the body's token if that verifies. */
  principal?: Principal | null;
}

/** The parts of an unverified body used only to attribute a refusal (`op`: the query's name, as audit details have always called it). */
function claimedParts(rawBody: string): { token: string | null; purpose: string | null; op: string | null } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody);
  } catch {
    return { token: null, purpose: null, op: null };
  }
  const o = (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? parsed : {}) as Record<string, unknown>;
  // Hubs before the contracts package sent the name as `op`.
  const query = "query" in o ? o.query : o.op;
  return {
    token: typeof o.token === "string" && o.token.length <= 8192 ? o.token : null,
    purpose: typeof o.purpose === "string" && o.purpose.trim() && !o.purpose.includes("\u0000") ? o.purpose.trim().slice(0, 500) : null,
    op: typeof query === "string" && (INTERNAL_QUERY_NAMES as readonly string[]).includes(query) ? query : null,
  };
}

/**
 * Audits refused calls in this force's audit log, as the gateway guard audits a refused
 * direct call. A refusal whose token verifies names someone and is always audited; anonymous
 * ones within the shared budget of `deps.refusals`, so a flood does not become a flood of
 * (hash-chained, locked) audit rows, and each one beyond that is logged and counted.
 */
function refusalRecorder(deps: HubQueryDeps) {
  return async (req: RequestInfo, refusal: Refusal): Promise<{ status: number; json: unknown }> => {
    const log = { requestId: req.requestId, reason: refusal.reason, remoteAddress: req.remoteAddress };
    const claimed = claimedParts(req.rawBody);
    let principal = refusal.principal;
    if (principal === undefined) principal = claimed.token ? await deps.verifyToken(claimed.token).catch(() => null) : null;
    const taken = principal !== null ? { audit: true as const, suppressed: 0 } : await deps.refusals.take();
    if (taken.audit) {
      const detail = {
        denied: refusal.reason,
        remoteAddress: req.remoteAddress ?? null,
        method: req.method,
        op: claimed.op,
        caller: claimedServiceCaller(req.headers),
        suppressed: taken.suppressed,
      };
      try {
        await deps.audit.record({
          action: "CONSULTATION",
          operation: "refused internal call",
          principal: principal ? { sub: principal.sub, org: principal.org, roles: principal.roles } : { sub: "unauthenticated", org: "UNKNOWN", roles: [] },
          purpose: claimed.purpose,
          // The x-request-id the HTTP layer validated, never the body's unchecked one.
          requestId: req.requestId,
          records: [],
          detail,
        });
      } catch (auditErr) {
        // The call is refused either way; a failed audit write must still be seen.
        deps.log.error({ ...log, err: auditErr }, "could not audit a refused internal call");
      }
    }
    deps.log.warn(log, "internal hub query refused");
    return { status: refusal.status, json: { error: refusal.error } };
  };
}

export function hubQueryRoute(deps: HubQueryDeps): Route {
  const { org } = deps;
  // Nonces of the hub's calls this route accepted, in every replica: each signed call is answered once.
  const replay = deps.replay;
  const refuse = refusalRecorder(deps);
  return {
    method: "POST",
    path: HUB_QUERY_PATH,
    async handle(req) {
      try {
        const caller = await verifyServiceRequest({
          secret: deps.secret,
          target: org.code,
          method: req.method,
          path: req.url,
          headers: req.headers,
          body: req.rawBody,
          replay,
        });
        if (caller !== HUB_SERVICE) throw new AuthError("only the hub may ask");
      } catch (e) {
        if (!(e instanceof AuthError)) deps.log.error({ err: e, requestId: req.requestId }, "service signature check failed");
        return refuse(req, { status: 403, error: "FORBIDDEN", reason: e instanceof AuthError ? e.reason : "service signature check failed" });
      }
      let body: z.output<typeof InternalQueryBody>;
      try {
        body = InternalQueryBody.parse(JSON.parse(req.rawBody));
      } catch {
        return refuse(req, { status: 400, error: "BAD_REQUEST", reason: "malformed body" });
      }
      if (typeof body.requestId !== "string" || !REQUEST_ID.test(body.requestId)) {
        return refuse(req, { status: 400, error: "BAD_REQUEST", reason: "malformed request id" });
      }
      const requestId = body.requestId;
      let principal: Principal;
      try {
        principal = await deps.verifyToken(body.token);
      } catch {
        return refuse(req, { status: 401, error: "UNAUTHENTICATED", reason: "invalid token", principal: null });
      }
      const purpose = body.purpose?.trim();
      if (!purpose) return refuse(req, { status: 400, error: "PURPOSE_REQUIRED", reason: "purpose required", principal });
      const question = parseInternalQuery(body.query, body.args);
      if (!question.ok) return refuse(req, { status: 400, error: "BAD_REQUEST", reason: "malformed arguments", principal });
      const ctx = buildContext({ org, principal, purpose, requestId, db: deps.db, policy: deps.policy, audit: deps.audit, log: deps.log });
      return { status: 200, json: await answer(ctx, question.value) };
    },
  };
}

function answer(ctx: ForceContext, q: InternalQuery): Promise<InternalQueryResponse<InternalQueryName>> {
  switch (q.query) {
    case "visible":
      return visible(ctx, q.args);
    case "links":
      return links(ctx, q.args);
    case "identities":
      return identities(ctx, q.args);
    case "forums":
      return forums(ctx, q.args);
    default: {
      const unknown: never = q;
      throw new Error(`no answer for the internal query ${JSON.stringify(unknown)}`);
    }
  }
}

async function visible(ctx: ForceContext, { ids }: InternalQueryArgs<"visible">): Promise<InternalQueryResponse<"visible">> {
  const code = ctx.org.code;
  const visible: string[] = [];
  await Promise.all(
    ids.map(async (id) => {
      const g = parseGlobalId(id);
      if (!g || g.org !== code) return;
      const loader = g.kind === "identity" ? ctx.loaders.identity : g.kind === "forum" ? ctx.loaders.forum : ctx.loaders.link;
      if (await loader.load(id)) visible.push(id);
    }),
  );
  visible.push(...(await visibleAssignments(ctx, ids)));
  return { visible };
}

/** The org's monitoring assignments among `ids` that the caller may know of, by the assignment rule; those named are audited. */
async function visibleAssignments(ctx: ForceContext, ids: string[]): Promise<string[]> {
  const code = ctx.org.code;
  const uuids = [...new Set(ids.map((id) => parseOwnedId(id, "monitoring")).flatMap((g) => (g && g.org === code ? [g.uuid] : [])))];
  if (uuids.length === 0) return [];
  const rows = await ctx.db.getRepository(MonitoringAssignmentRow).findBy({ id: In(uuids) });
  const { see } = await assignmentRule(ctx);
  const shown = rows.filter(see).map((r) => formatOwnedId(code, "monitoring", r.id));
  await auditOwnedRead(
    ctx,
    "visible monitoring-assignment",
    shown.map((id) => ({ id, kind: "monitoring-assignment" })),
    { asked: uuids.length, withheld: rows.length - shown.length },
  );
  return shown;
}

async function links(ctx: ForceContext, args: InternalQueryArgs<"links">): Promise<InternalQueryResponse<"links">> {
  const code = ctx.org.code;
  if (args.ids.length === 0) return { links: [] };
  const qb = ctx.db
    .getRepository(LinkRow)
    .createQueryBuilder("r")
    .where("(r.from_id IN (:...ids) OR r.to_identity_id IN (:...ids) OR r.to_forum_id IN (:...ids))", { ids: args.ids });
  if (args.types?.length) qb.andWhere("r.link_type IN (:...types)", { types: args.types });
  await ctx.access.restrict(qb, "link", "r");
  const rows = await qb.orderBy("r.created_at", "DESC").limit(1000).getMany();
  // The same pipeline as every GraphQL read: the link's markings and its own-org ends.
  const decisions = await decideRows(ctx, "link", rows);
  const readable = rows.map((row, i) => ({ row, decision: decisions[i]! })).filter((r) => r.decision.level === "FULL");
  await auditRead(
    ctx,
    "linkGraph.links",
    readable.map((r) => ({ id: formatGlobalId(code, "link", r.row.id), kind: "link" as const, decision: r.decision })),
    { asked: args.ids.length },
  );
  return {
    links: readable.map(({ row }) => ({
      id: formatGlobalId(code, "link", row.id),
      fromId: row.fromId,
      toIdentityId: row.toIdentityId,
      toForumId: row.toForumId,
      // A text column, written only through the LinkType enum.
      linkType: row.linkType as LinkType,
    })),
  };
}

async function identities(ctx: ForceContext, a: InternalQueryArgs<"identities">): Promise<InternalQueryResponse<"identities">> {
  const code = ctx.org.code;
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
  const decisions = await decideRows(ctx, "identity", rows);
  const decided = rows.map((row, i) => ({ row, decision: decisions[i]! })).filter((d) => d.decision.level === "FULL");
  await auditRead(
    ctx,
    "identities",
    decided.map((d) => ({ id: formatGlobalId(code, "identity", d.row.id), kind: "identity" as const, decision: d.decision })),
    { filter: a },
  );
  return { nodes: decided.map(({ row }) => ({ id: formatGlobalId(code, "identity", row.id), t: row.lastSeen?.getTime() ?? 0 })) };
}

async function forums(ctx: ForceContext, a: InternalQueryArgs<"forums">): Promise<InternalQueryResponse<"forums">> {
  const code = ctx.org.code;
  const qb = ctx.db.getRepository(ForumRow).createQueryBuilder("r");
  if (a.platform) qb.andWhere("r.platform = :platform", { platform: a.platform });
  if (a.kind) qb.andWhere("r.kind = :kind", { kind: a.kind });
  const ks = keyset("r", "r.created_at", code, "forum", a.after);
  if (ks) qb.andWhere(ks.sql, ks.params);
  await ctx.access.restrict(qb, "forum", "r");
  const rows = await qb.orderBy("r.created_at", "DESC").addOrderBy("r.id", "ASC").limit(a.first).getMany();
  const decisions = await decideRows(ctx, "forum", rows);
  const decided = rows.map((row, i) => ({ row, decision: decisions[i]! })).filter((d) => d.decision.level === "FULL");
  await auditRead(
    ctx,
    "forums",
    decided.map((d) => ({ id: formatGlobalId(code, "forum", d.row.id), kind: "forum" as const, decision: d.decision })),
    { filter: a },
  );
  return { nodes: decided.map(({ row }) => ({ id: formatGlobalId(code, "forum", row.id), t: row.createdAt.getTime() })) };
}
