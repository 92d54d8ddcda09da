import DataLoader from "dataloader";
import { In, type EntityManager } from "typeorm";
import type { AuditAction } from "@interforce/audit";
import type { OutboxEventFields, OutboxEventType } from "@interforce/contracts";
import { formatOwnedId, parseOwnedId, type Principal } from "@interforce/domain";
import { requirePurpose, type ForceContext } from "../../context.js";
import { enqueueOutboxEvent } from "../../outbox/enqueue.js";

// Helpers for the records an org keeps about other orgs' records (monitoring assignments,
// sightings): they are not policy records, so they are audited and published here.

export interface OwnedRef {
  id: string;
  kind: "monitoring-assignment" | "sighting";
}

/** Audited before anything is returned: if the event cannot be written, the read fails. */
export async function auditOwnedRead(ctx: ForceContext, operation: string, refs: OwnedRef[], detail: Record<string, unknown> = {}): Promise<void> {
  const foreign = ctx.principal.org !== ctx.org.code;
  await ctx.audit.record({
    action: foreign && refs.length > 0 ? "DISCLOSURE" : "CONSULTATION",
    operation,
    principal: ctx.principal,
    purpose: ctx.purpose,
    requestId: ctx.requestId,
    records: refs.map((r) => ({ id: r.id, kind: r.kind, level: "FULL", reason: foreign ? "disclosed by rule" : "owner" })),
    recipientOrg: foreign ? ctx.principal.org : null,
    detail,
  });
}

/** The audit event commits or rolls back with the change it records. */
export function auditOwnedWrite(
  ctx: ForceContext,
  m: EntityManager,
  principal: Principal,
  action: AuditAction,
  operation: string,
  ref: OwnedRef,
  detail: Record<string, unknown> = {},
): Promise<void> {
  return ctx.audit.record(
    {
      action,
      operation,
      principal,
      purpose: ctx.purpose,
      requestId: ctx.requestId,
      records: [{ id: ref.id, kind: ref.kind, level: "FULL", reason: "owner" }],
      detail,
    },
    { manager: m },
  );
}

/** Writes an outbox event in the caller's transaction; the relay carries it to the hub. */
export async function enqueue<T extends OutboxEventType>(m: EntityManager, type: T, fields: OutboxEventFields<T>): Promise<void> {
  await enqueueOutboxEvent(m, type, fields);
}

/**
 * The `__resolveReference` loader of an owned record kind: one query per batch of ids, each
 * row screened by `readable` and the batch audited before anything is returned. Ids of other
 * orgs or kinds, unknown ids and screened rows all resolve to null alike.
 */
export function ownedRecordLoader<Row extends { id: string }, V>(opts: {
  org: string;
  kind: "monitoring" | "sighting";
  ref: OwnedRef["kind"];
  entity: new () => Row;
  /** The per-row rule for this request's principal. */
  readable: (ctx: ForceContext) => Promise<(row: Row) => boolean>;
  view: (row: Row) => V;
}): (ctx: ForceContext) => DataLoader<string, V | null> {
  const loaders = new WeakMap<ForceContext, DataLoader<string, V | null>>();
  return (ctx) => {
    let loader = loaders.get(ctx);
    if (!loader) {
      loader = new DataLoader<string, V | null>(
        async (ids) => {
          requirePurpose(ctx);
          const uuids = ids.map((id) => {
            const g = parseOwnedId(id, opts.kind);
            return g && g.org === opts.org ? g.uuid : null;
          });
          const wanted = [...new Set(uuids.filter((u): u is string => u !== null))];
          const rows = wanted.length ? await ctx.db.getRepository(opts.entity).findBy({ id: In(wanted) } as never) : [];
          const see = await opts.readable(ctx);
          const shown = rows.filter(see);
          const byUuid = new Map(shown.map((r) => [r.id, r]));
          await auditOwnedRead(
            ctx,
            `resolve ${opts.ref}`,
            shown.map((r) => ({ id: formatOwnedId(opts.org, opts.kind, r.id), kind: opts.ref })),
            { asked: ids.length, withheld: rows.length - shown.length },
          );
          return uuids.map((u) => {
            const row = u ? byUuid.get(u) : undefined;
            return row ? opts.view(row) : null;
          });
        },
        { maxBatchSize: 500 },
      );
      loaders.set(ctx, loader);
    }
    return loader;
  };
}
