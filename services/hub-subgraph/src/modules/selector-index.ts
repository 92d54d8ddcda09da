import { z } from "zod";
import { registerIndexHandler } from "./index-events.js";
import { raiseOnRecord } from "./deconfliction.js";

const Selector = z.object({
  selector: z.string().min(1).max(500),
  /** The normalised handle, for trigram matching; null for hashed emails and phones. */
  handleKey: z.string().max(300).nullable(),
});

const Upsert = z.object({
  op: z.literal("upsert"),
  eventId: z.string().uuid(),
  org: z.string(),
  kind: z.literal("identity"),
  recordId: z.string(),
  selectors: z.array(Selector).min(1).max(60),
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
  kind: z.literal("identity"),
  recordId: z.string(),
});

registerIndexHandler({
  op: "upsert",
  schema: Upsert,
  recordId: (e) => e.recordId,
  async apply(m, e) {
    const selectors = e.selectors.map((s) => s.selector);
    // The record's selectors may change (a corrected handle, a new email): it keeps exactly the current set.
    await m.query(`DELETE FROM selector_pointer WHERE record_id = $1 AND NOT (selector = ANY($2))`, [e.recordId, selectors]);
    for (const s of e.selectors) {
      await m.query(
        `INSERT INTO selector_pointer (record_id, selector, handle_key, org, kind, platform, classification, handling, handling_orgs, covert, review_due, last_event_id, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, now())
         ON CONFLICT (record_id, selector) DO UPDATE SET
           handle_key = EXCLUDED.handle_key, platform = EXCLUDED.platform, classification = EXCLUDED.classification,
           handling = EXCLUDED.handling, handling_orgs = EXCLUDED.handling_orgs, covert = EXCLUDED.covert,
           review_due = EXCLUDED.review_due, last_event_id = EXCLUDED.last_event_id, updated_at = now()`,
        [e.recordId, s.selector, s.handleKey, e.org, e.kind, e.platform, e.classification, e.handling, e.handlingOrgs, e.covert, e.reviewDue, e.eventId],
      );
    }
    await raiseOnRecord(m, { recordId: e.recordId, org: e.org, covert: e.covert, selectors });
  },
});

registerIndexHandler({
  op: "remove",
  schema: Remove,
  recordId: (e) => e.recordId,
  async apply(m, e) {
    await m.query(`DELETE FROM selector_pointer WHERE record_id = $1`, [e.recordId]);
  },
});
