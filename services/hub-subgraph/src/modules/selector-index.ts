import type { EntityManager } from "typeorm";
import type { SelectorRemove, SelectorUpsert } from "@interforce/contracts";
import { raiseOnRecord } from "./deconfliction.js";

/** Seeds the hash of a selector into its lock key, so these locks do not share keys with any other advisory lock. */
const SELECTOR_LOCK_SEED = 7_302_114;

/**
 * A record's selectors enter the index (or change): it keeps exactly the current set, and holders of the same selectors are told.
 * Two forces recording the same selector at once must still hear of each other: each transaction takes a lock per selector
 * (in one order, so two never wait on each other) and holds it to commit, so the second looks for holders only after the
 * first's pointer is visible.
 */
export async function applySelectorUpsert(m: EntityManager, e: SelectorUpsert): Promise<void> {
  const selectors = e.selectors.map((s) => s.selector);
  await m.query(
    `SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT hashtextextended(s, ${SELECTOR_LOCK_SEED}) AS k FROM unnest($1::text[]) AS s ORDER BY 1) AS keys`,
    [selectors],
  );
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
}

/** An erased record leaves the index. */
export async function applySelectorRemove(m: EntityManager, e: SelectorRemove): Promise<void> {
  await m.query(`DELETE FROM selector_pointer WHERE record_id = $1`, [e.recordId]);
}
