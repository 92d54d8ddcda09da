import { z } from "zod";
import type { DataSource, EntityManager } from "typeorm";
import { findOrg, parseGlobalId } from "@interforce/domain";

export class IndexRejection extends Error {}

/** One kind of relayed outbox event: how to check it and how to apply it at the hub. */
export interface IndexHandler<S extends z.ZodType = z.ZodType> {
  op: string;
  schema: S;
  /** The global id the event is about; it must belong to the calling force. */
  recordId(event: z.infer<S>): string;
  /**
   * The org that owns what the event is about, for records that are not intelligence
   * records of the policy (monitoring assignments, sightings); defaults to recordId's org.
   */
  ownerOrg?(event: z.infer<S>): string | null;
  apply(m: EntityManager, event: z.infer<S>): Promise<void>;
}

const handlers = new Map<string, IndexHandler>();

export function registerIndexHandler<S extends z.ZodType>(h: IndexHandler<S>): void {
  handlers.set(h.op, h as unknown as IndexHandler);
}

const Envelope = z.object({ op: z.string().max(50), eventId: z.string().uuid(), org: z.string() });

/**
 * Applies relayed outbox events. The inbox row and the event's effect are written in one
 * transaction, and an event already in the inbox is acknowledged without effect, so a
 * relay that resends after a crash never doubles an entry.
 */
export async function applyIndexEvents(db: DataSource, caller: string, events: unknown[]): Promise<{ applied: number; duplicates: number }> {
  const parsed = events.map((raw) => {
    const env = Envelope.safeParse(raw);
    const handler = env.success ? handlers.get(env.data.op) : undefined;
    if (!env.success || !handler) throw new IndexRejection("invalid event: unknown op or envelope");
    const r = handler.schema.safeParse(raw);
    if (!r.success) throw new IndexRejection(`invalid ${env.data.op} event: ${r.error.issues[0]?.message}`);
    const owner = handler.ownerOrg ? handler.ownerOrg(r.data) : parseGlobalId(handler.recordId(r.data))?.org;
    // A force may publish only about its own records.
    if (env.data.org !== caller || !owner || owner !== caller || !findOrg(caller)) {
      throw new IndexRejection("event not owned by the calling org");
    }
    return { handler, event: r.data, envelope: env.data };
  });
  let applied = 0;
  let duplicates = 0;
  for (const { handler, event, envelope } of parsed) {
    await db.transaction(async (m) => {
      const inserted: unknown[] = await m.query(
        `INSERT INTO index_inbox (event_id, org) VALUES ($1, $2) ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
        [envelope.eventId, envelope.org],
      );
      if (inserted.length === 0) {
        duplicates++;
        return;
      }
      await handler.apply(m, event);
      applied++;
    });
  }
  return { applied, duplicates };
}
