import { z } from "zod";
import type { DataSource } from "typeorm";
import { findOrg, parseGlobalId } from "@interforce/domain";

const Upsert = z.object({
  op: z.literal("upsert"),
  eventId: z.string().uuid(),
  org: z.string(),
  kind: z.enum(["identity", "forum", "link"]),
  recordId: z.string(),
  selector: z.string().min(1).max(500),
  platform: z.string().min(1).max(50),
  classification: z.enum(["OFFICIAL", "OFFICIAL_SENSITIVE", "SECRET"]),
  handling: z.enum(["P", "C"]),
  handlingOrgs: z.array(z.string()).max(50),
  covert: z.boolean(),
  reviewDue: z.string().datetime().nullable(),
});
/** An erased record leaves the index. */
const Remove = z.object({
  op: z.literal("remove"),
  eventId: z.string().uuid(),
  org: z.string(),
  kind: z.enum(["identity", "forum", "link"]),
  recordId: z.string(),
});
export const SelectorEvent = z.discriminatedUnion("op", [Upsert, Remove]);
export type SelectorEvent = z.infer<typeof SelectorEvent>;

export class IndexRejection extends Error {}

/**
 * Applies relayed outbox events. The inbox row and the pointer are written in one
 * transaction, and an event already in the inbox is acknowledged without effect, so a
 * relay that resends after a crash never doubles an entry.
 */
export async function applySelectorEvents(db: DataSource, caller: string, events: unknown[]): Promise<{ applied: number; duplicates: number }> {
  const parsed = events.map((e) => {
    const r = SelectorEvent.safeParse(e);
    if (!r.success) throw new IndexRejection(`invalid event: ${r.error.issues[0]?.message}`);
    const g = parseGlobalId(r.data.recordId);
    // A force may publish pointers only to its own records.
    if (r.data.org !== caller || !g || g.org !== caller || g.kind !== r.data.kind || !findOrg(caller)) {
      throw new IndexRejection("event not owned by the calling org");
    }
    return r.data;
  });
  let applied = 0;
  let duplicates = 0;
  for (const e of parsed) {
    await db.transaction(async (m) => {
      const inserted: unknown[] = await m.query(
        `INSERT INTO index_inbox (event_id, org) VALUES ($1, $2) ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
        [e.eventId, e.org],
      );
      if (inserted.length === 0) {
        duplicates++;
        return;
      }
      if (e.op === "remove") {
        await m.query(`DELETE FROM selector_pointer WHERE record_id = $1`, [e.recordId]);
        applied++;
        return;
      }
      // A record's selector may change (a corrected handle): the record keeps one pointer.
      await m.query(`DELETE FROM selector_pointer WHERE record_id = $1 AND selector <> $2`, [e.recordId, e.selector]);
      await m.query(
        `INSERT INTO selector_pointer (record_id, selector, org, kind, platform, classification, handling, handling_orgs, covert, review_due, last_event_id, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now())
         ON CONFLICT (record_id, selector) DO UPDATE SET
           platform = EXCLUDED.platform, classification = EXCLUDED.classification, handling = EXCLUDED.handling,
           handling_orgs = EXCLUDED.handling_orgs, covert = EXCLUDED.covert, review_due = EXCLUDED.review_due,
           last_event_id = EXCLUDED.last_event_id, updated_at = now()`,
        [e.recordId, e.selector, e.org, e.kind, e.platform, e.classification, e.handling, e.handlingOrgs, e.covert, e.reviewDue, e.eventId],
      );
      applied++;
    });
  }
  return { applied, duplicates };
}
