import type { DataSource, EntityManager } from "typeorm";
import type { SelectorRemove, SelectorUpsert } from "@interforce/contracts";
import { keyedHandle, keyedHandleWords, keyedSelector, sealSelector, TRIGRAM_COUNT, trigramLetters, type SelectorKeyRing } from "@interforce/auth";
import { raiseOnRecord } from "./deconfliction.js";

/** Seeds the hash of a selector into its lock key, so these locks do not share keys with any other advisory lock. */
const SELECTOR_LOCK_SEED = 7_302_114;

/** Locks keyed selectors until the transaction ends, in one order (a lock already held is taken again at no cost). */
export async function lockSelectors(m: EntityManager, macs: string[]): Promise<void> {
  if (macs.length === 0) return;
  await m.query(
    `SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT hashtextextended(s, ${SELECTOR_LOCK_SEED}) AS k FROM unnest($1::text[]) AS s ORDER BY 1) AS keys`,
    [macs],
  );
}

/** A selector as the index keeps it under every key of the ring: what matches it, whichever key indexed the holder. */
export function selectorMacs(keys: SelectorKeyRing, selector: string): string[] {
  return keys.keys.map((k) => keyedSelector(k, selector));
}

/**
 * A record's selectors enter the index (or change): it keeps exactly the current set, keyed under the current selector
 * key, and holders of the same selectors are told. Two forces recording the same selector at once must still hear of
 * each other: each transaction takes a lock per selector (in one order, so two never wait on each other) and holds it
 * to commit, so the second looks for holders only after the first's pointer is visible.
 */
export async function applySelectorUpsert(m: EntityManager, e: SelectorUpsert, keys: SelectorKeyRing): Promise<void> {
  const key = keys.current;
  const keyed = e.selectors.map((s) => ({
    mac: keyedSelector(key, s.selector),
    sealed: sealSelector(keys, s.selector),
    handleMac: s.handleKey ? keyedHandle(key, s.handleKey) : null,
    handleWords: s.handleKey ? keyedHandleWords(key, s.handleKey) : null,
    plain: s.selector,
  }));
  const macs = keyed.map((s) => s.mac);
  await lockSelectors(m, macs);
  await m.query(`DELETE FROM selector_pointer WHERE record_id = $1 AND NOT (selector = ANY($2))`, [e.recordId, macs]);
  for (const s of keyed) {
    await m.query(
      `INSERT INTO selector_pointer (record_id, selector, key_id, handle_mac, handle_words, selector_sealed, org, kind, platform, classification, handling, handling_orgs, covert, review_due, last_event_id, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, now())
       ON CONFLICT (record_id, selector) DO UPDATE SET
         key_id = EXCLUDED.key_id, handle_mac = EXCLUDED.handle_mac, handle_words = EXCLUDED.handle_words, selector_sealed = EXCLUDED.selector_sealed,
         platform = EXCLUDED.platform, classification = EXCLUDED.classification,
         handling = EXCLUDED.handling, handling_orgs = EXCLUDED.handling_orgs, covert = EXCLUDED.covert,
         review_due = EXCLUDED.review_due, last_event_id = EXCLUDED.last_event_id, updated_at = now()`,
      [
        e.recordId,
        s.mac,
        key.id,
        s.handleMac,
        s.handleWords,
        s.sealed,
        e.org,
        e.kind,
        e.platform,
        e.classification,
        e.handling,
        e.handlingOrgs,
        e.covert,
        e.reviewDue,
        e.eventId,
      ],
    );
  }
  await raiseOnRecord(m, keys, { recordId: e.recordId, org: e.org, covert: e.covert, selectors: keyed.map((s) => s.plain) });
}

/** An erased record leaves the index. */
export async function applySelectorRemove(m: EntityManager, e: SelectorRemove): Promise<void> {
  await m.query(`DELETE FROM selector_pointer WHERE record_id = $1`, [e.recordId]);
}

/**
 * Fuzzy search compares keyed trigram letters with pg_trgm, which counts a code point as a letter only under a UTF-8
 * ctype: under another (a database created with LC_CTYPE C) every letter would be dropped and fuzzy search would
 * silently find nothing. The hub refuses to start on such a database.
 */
export async function assertTrigramLetters(db: DataSource): Promise<void> {
  const letters = trigramLetters();
  const [row] = (await db.query(`SELECT cardinality(show_trgm($1)) AS n, (SELECT datctype FROM pg_database WHERE datname = current_database()) AS ctype`, [
    letters.join(" "),
  ])) as {
    n: number;
    ctype: string;
  }[];
  if (!row || Number(row.n) !== 2 * TRIGRAM_COUNT) {
    throw new Error(
      `the hub database's character classification (LC_CTYPE ${row?.ctype ?? "unknown"}) does not count the selector index's trigram letters as letters: ` +
        `create the hub database with LOCALE_PROVIDER libc LC_CTYPE 'C.UTF-8' TEMPLATE template0 (the launcher does for its own cluster; a development home made before it did: remove <INTERFORCE_HOME>/pg to start afresh)`,
    );
  }
}
