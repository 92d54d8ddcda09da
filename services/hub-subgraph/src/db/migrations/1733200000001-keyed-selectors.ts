import type { MigrationInterface, QueryRunner } from "typeorm";
import { keyedHandle, keyedHandleWords, keyedSelector, sealSelector, type SelectorKeyRing } from "@interforce/auth";

/**
 * The selector index keeps no selector a thief of the database could read: exact selectors
 * become HMACs under the hub's selector key, handles keyed trigram letters for fuzzy search
 * (a trigram GIN index serves them), and the copies shown back to alert parties are sealed.
 * Pointers and alerts already indexed are keyed in place, which needs the hub's selector keys.
 */
export function keyedSelectorsMigration(keys: SelectorKeyRing | undefined) {
  return class KeyedSelectors1733200000001 implements MigrationInterface {
    name = "KeyedSelectors1733200000001";

    async up(q: QueryRunner): Promise<void> {
      await q.query(
        `ALTER TABLE selector_pointer ADD COLUMN key_id text, ADD COLUMN handle_mac text, ADD COLUMN handle_words text, ADD COLUMN selector_sealed text`,
      );
      await q.query(`ALTER TABLE deconfliction_alert ADD COLUMN selector_sealed text`);
      const pointers: { record_id: string; selector: string; handle_key: string | null }[] = await q.query(
        `SELECT record_id, selector, handle_key FROM selector_pointer`,
      );
      const alerts: { id: string; selector: string }[] = await q.query(`SELECT id, selector FROM deconfliction_alert`);
      if ((pointers.length > 0 || alerts.length > 0) && !keys) {
        throw new Error("the hub's selector keys (SELECTOR_KEYS) are needed to key the selectors already in its index");
      }
      for (const p of pointers) {
        const k = keys!.current;
        await q.query(
          `UPDATE selector_pointer SET selector = $3, key_id = $4, handle_mac = $5, handle_words = $6, selector_sealed = $7 WHERE record_id = $1 AND selector = $2`,
          [
            p.record_id,
            p.selector,
            keyedSelector(k, p.selector),
            k.id,
            p.handle_key ? keyedHandle(k, p.handle_key) : null,
            p.handle_key ? keyedHandleWords(k, p.handle_key) : null,
            sealSelector(keys!, p.selector),
          ],
        );
      }
      for (const a of alerts) {
        await q.query(`UPDATE deconfliction_alert SET selector = $2, selector_sealed = $3 WHERE id = $1`, [
          a.id,
          keyedSelector(keys!.current, a.selector),
          sealSelector(keys!, a.selector),
        ]);
      }
      await q.query(`DROP INDEX selector_pointer_handle_trgm, selector_pointer_handle`);
      await q.query(`ALTER TABLE selector_pointer DROP COLUMN handle_key`);
      await q.query(`ALTER TABLE selector_pointer ALTER COLUMN key_id SET NOT NULL, ALTER COLUMN selector_sealed SET NOT NULL`);
      await q.query(`ALTER TABLE deconfliction_alert ALTER COLUMN selector_sealed SET NOT NULL`);
      await q.query(`CREATE INDEX selector_pointer_handle_mac ON selector_pointer (handle_mac) WHERE handle_mac IS NOT NULL`);
      // `%` over the keyed letters, served by the trigram index.
      await q.query(`CREATE INDEX selector_pointer_handle_words ON selector_pointer USING gin (handle_words gin_trgm_ops) WHERE handle_words IS NOT NULL`);
    }

    async down(): Promise<void> {
      throw new Error("keyed selectors cannot be turned back into plain ones");
    }
  };
}
