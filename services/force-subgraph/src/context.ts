import DataLoader from "dataloader";
import { In, type DataSource } from "typeorm";
import type { AuditLog } from "@interforce/audit";
import { parseGlobalId, type OrgEntry, type Principal, type RecordKind } from "@interforce/domain";
import { decideLink, ownLinkEnds, type Decision, type EndKind } from "@interforce/policy";
import { appError, createLogger, type Logger } from "@interforce/server-kit";
import { Access } from "./access.js";
import { ForumRow, IdentityRow, LinkRow, type MarkedRecord } from "./db/entities.js";
import type { PolicyClient } from "./policy-client.js";
import { forumView, identityView, linkView, typeNamesFor, type ForumView, type IdentityView, type LinkView, type OrgTypeNames } from "./graphql/views.js";

export interface ForceContext {
  org: OrgEntry;
  names: OrgTypeNames;
  principal: Principal;
  purpose: string | null;
  requestId: string;
  db: DataSource;
  access: Access;
  audit: AuditLog;
  log: Logger;
  loaders: ReturnType<typeof createLoaders>;
}

type BaseContext = Omit<ForceContext, "loaders">;

/** Every read of intelligence states why (DPA 2018 s.62); the purpose goes to the audit log. */
export function requirePurpose(ctx: Pick<ForceContext, "purpose">): void {
  if (!ctx.purpose) throw appError("PURPOSE_REQUIRED", "State the purpose of this read in the x-purpose header");
}

/**
 * Which records each request (the gateway's request id, which also travels on the hub's
 * internal calls made for it) has already had audited here, and at which level. One client
 * request can reach a force twice for the same record (the link graph checks a node through
 * the hub, then the gateway fetches its fields): the second read is decided again but not
 * audited again. Only ever skips an event whose every record was audited, at the same level,
 * by an event already committed; with several replicas the second read may be audited
 * again elsewhere, never not at all.
 */
const AUDITED_TTL_MS = 120_000;
const AUDITED_MAX = 50_000;
const audited = new Map<string, number>();
const auditedKey = (requestId: string, r: { id: string; decision: Decision }) => `${requestId}|${r.id}|${r.decision.level}`;

function alreadyAudited(requestId: string, records: { id: string; decision: Decision }[], now: number): boolean {
  return records.length > 0 && records.every((r) => (audited.get(auditedKey(requestId, r)) ?? 0) > now);
}

function rememberAudited(requestId: string, records: { id: string; decision: Decision }[], now: number): void {
  if (audited.size + records.length > AUDITED_MAX) {
    for (const [k, until] of audited) if (until <= now) audited.delete(k);
    if (audited.size + records.length > AUDITED_MAX) audited.clear();
  }
  for (const r of records) audited.set(auditedKey(requestId, r), now + AUDITED_TTL_MS);
}

/**
 * Writes the audit event for records read by this request before any of them is
 * returned: if the event cannot be written, the read fails and nothing is disclosed.
 */
export async function auditRead(
  ctx: BaseContext,
  operation: string,
  records: { id: string; kind: RecordKind; decision: Decision }[],
  detail: Record<string, unknown> = {},
): Promise<void> {
  const now = Date.now();
  if (alreadyAudited(ctx.requestId, records, now)) return;
  const foreign = ctx.principal.org !== ctx.org.code;
  await ctx.audit.record({
    action: foreign && records.some((r) => r.decision.level === "FULL") ? "DISCLOSURE" : "CONSULTATION",
    operation,
    principal: ctx.principal,
    purpose: ctx.purpose,
    requestId: ctx.requestId,
    records: records.map((r) => ({ id: r.id, kind: r.kind, level: r.decision.level, reason: r.decision.reason })),
    recipientOrg: foreign ? ctx.principal.org : null,
    detail,
  });
  rememberAudited(ctx.requestId, records, now);
}

type EndLoaders = Record<EndKind, DataLoader<string, Decision | null>>;

/**
 * The caller's decision on each row: `decide()` on its markings and, for a link, NONE when
 * an end of this org names a record the caller may not read in full (a link shows its
 * ends' ids). The ends of all the rows are looked up together, one query per kind.
 */
async function decideRowsWith<R extends MarkedRecord>(ctx: BaseContext, ends: EndLoaders, kind: RecordKind, rows: readonly R[]): Promise<Decision[]> {
  const decisions: Decision[] = [];
  for (const row of rows) decisions.push(await ctx.access.decideRow(kind, row));
  if (kind !== "link") return decisions;
  const endsOf = rows.map((row, i) => (decisions[i]!.level === "FULL" ? ownLinkEnds(ctx.org.code, row as unknown as LinkRow) : []));
  const found = await Promise.all(endsOf.map((list) => Promise.all(list.map((e) => ends[e.kind].load(e.uuid)))));
  return decisions.map((d, i) => decideLink(d, found[i]!));
}

/** `decideRowsWith` with the request's loaders: for list readers. */
export function decideRows<R extends MarkedRecord>(ctx: ForceContext, kind: RecordKind, rows: readonly R[]): Promise<Decision[]> {
  return decideRowsWith(ctx, ctx.loaders.ends, kind, rows);
}

/**
 * The caller's decision on records of this org by uuid, one SQL query per batch, for
 * checks that return nothing of the record (the ends of a link): not audited here, the
 * record that is returned is. Null for a uuid that names no record.
 */
function decisionByUuid<R extends MarkedRecord>(ctx: BaseContext, kind: EndKind, entity: new () => R) {
  return new DataLoader<string, Decision | null>(
    async (uuids) => {
      const rows = await ctx.db.getRepository(entity).findBy({ id: In([...new Set(uuids)]) } as never);
      const byUuid = new Map(rows.map((r) => [r.id, r]));
      const out: (Decision | null)[] = [];
      for (const uuid of uuids) {
        const row = byUuid.get(uuid);
        out.push(row ? await ctx.access.decideRow(kind, row) : null);
      }
      return out;
    },
    { maxBatchSize: 500 },
  );
}

/**
 * Loads records of this org by global id, one SQL query per batch however many ids a
 * `_entities` call or a nested list asks for, and applies the policy to each row.
 * Ids of other orgs or kinds resolve to null without touching the database.
 */
function readableById<R extends MarkedRecord, V>(
  ctx: BaseContext,
  ends: EndLoaders,
  kind: RecordKind,
  entity: new () => R,
  view: (row: R, decision: Decision) => V,
) {
  return new DataLoader<string, V | null>(
    async (ids) => {
      requirePurpose(ctx);
      const uuids = new Map<string, string>();
      for (const id of ids) {
        const g = parseGlobalId(id);
        if (g && g.org === ctx.org.code && g.kind === kind) uuids.set(id, g.uuid);
      }
      const rows = uuids.size ? await ctx.db.getRepository(entity).findBy({ id: In([...new Set(uuids.values())]) } as never) : [];
      const byUuid = new Map(rows.map((r) => [r.id, r]));
      const found = ids.map((id) => {
        const uuid = uuids.get(id);
        return { id, row: uuid ? byUuid.get(uuid) : undefined };
      });
      const present = found.filter((f): f is { id: string; row: R } => f.row !== undefined);
      const decisions = await decideRowsWith(
        ctx,
        ends,
        kind,
        present.map((f) => f.row),
      );
      const byId = new Map(present.map((f, i) => [f.id, decisions[i]!]));
      const decided = found.map(({ id, row }) => ({ id, kind, row, decision: byId.get(id) ?? ({ level: "NONE", reason: "no such record" } as Decision) }));
      // Ids that name nothing here are not audited as records: they are not records of this force.
      await auditRead(
        ctx,
        `resolve ${kind}`,
        decided.filter((d) => d.row),
        { asked: ids.length },
      );
      ctx.log.info({ requestId: ctx.requestId, kind, decisions: Object.fromEntries(decided.map((d) => [d.id, d.decision.level])) }, "records resolved by id");
      return decided.map((d) => (d.row && d.decision.level === "FULL" ? view(d.row, d.decision) : null));
    },
    { maxBatchSize: 500 },
  );
}

export function createLoaders(ctx: BaseContext) {
  const names = typeNamesFor(ctx.org.typePrefix);
  const ends: EndLoaders = {
    identity: decisionByUuid(ctx, "identity", IdentityRow),
    forum: decisionByUuid(ctx, "forum", ForumRow),
  };
  return {
    identity: readableById<IdentityRow, IdentityView>(ctx, ends, "identity", IdentityRow, (r, d) => identityView(ctx.org, names, r, d)),
    forum: readableById<ForumRow, ForumView>(ctx, ends, "forum", ForumRow, (r, d) => forumView(ctx.org, names, r, d)),
    link: readableById<LinkRow, LinkView>(ctx, ends, "link", LinkRow, (r, d) => linkView(ctx.org, names, r, d)),
    ends,
  };
}

export function buildContext(args: {
  org: OrgEntry;
  principal: Principal;
  purpose: string | null;
  requestId: string;
  db: DataSource;
  policy: Pick<PolicyClient, "inputs">;
  audit: AuditLog;
  log: Logger;
}): ForceContext {
  const access = new Access(args.org.code, args.principal, () => args.policy.inputs());
  const { policy: _policy, ...rest } = args;
  const base: BaseContext = { ...rest, access, names: typeNamesFor(args.org.typePrefix) };
  return { ...base, loaders: createLoaders(base) };
}

/**
 * A context for the force's own principal writing outside a client request (the demo data):
 * the same policy, access checks and audit as a request, with no agreements or grants, on
 * which an owner's decisions on its own records never depend.
 */
export function ownerContext(args: {
  org: OrgEntry;
  principal: Principal;
  purpose: string;
  requestId: string;
  db: DataSource;
  audit: AuditLog;
  log?: Logger;
}): ForceContext {
  if (args.principal.org !== args.org.code) throw new Error("ownerContext is for the force's own principals");
  const log = args.log ?? createLogger(`${args.org.code.toLowerCase()}-writer`);
  if (!args.log) log.level = "warn";
  return buildContext({ ...args, log, policy: { inputs: async () => ({ agreements: [], grants: [], now: new Date() }) } });
}
