import type { MigrationInterface, QueryRunner } from "typeorm";

export class AnalystSearch1732700000003 implements MigrationInterface {
  name = "AnalystSearch1732700000003";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`ALTER TABLE selector_pointer ADD COLUMN handle_key text`);
    await q.query(`UPDATE selector_pointer SET handle_key = split_part(selector, '@', 1) WHERE selector NOT LIKE 'email:%' AND selector NOT LIKE 'phone:%'`);
    await q.query(`CREATE INDEX selector_pointer_handle_trgm ON selector_pointer USING gin (handle_key gin_trgm_ops)`);
    await q.query(`CREATE INDEX selector_pointer_handle ON selector_pointer (handle_key)`);
    // One alert per pair of parties and selector; repeats bump the count, so SPOCs are told once.
    await q.query(`CREATE TABLE deconfliction_alert (
      id uuid PRIMARY KEY,
      trigger text NOT NULL CHECK (trigger IN ('RECORD','SEARCH')),
      selector text NOT NULL,
      holder_org text NOT NULL,
      holder_record_id text NOT NULL,
      holder_covert boolean NOT NULL,
      other_org text NOT NULL,
      other_record_id text NOT NULL DEFAULT '',
      other_covert boolean NOT NULL DEFAULT false,
      first_at timestamptz(3) NOT NULL DEFAULT now(),
      last_at timestamptz(3) NOT NULL DEFAULT now(),
      occurrences integer NOT NULL DEFAULT 1,
      holder_ack_at timestamptz(3),
      holder_ack_by text,
      other_ack_at timestamptz(3),
      other_ack_by text,
      UNIQUE (trigger, selector, holder_record_id, other_org, other_record_id))`);
    await q.query(`CREATE INDEX deconfliction_holder ON deconfliction_alert (holder_org, last_at DESC)`);
    await q.query(`CREATE INDEX deconfliction_other ON deconfliction_alert (other_org, last_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE deconfliction_alert`);
    await q.query(`DROP INDEX selector_pointer_handle_trgm, selector_pointer_handle`);
    await q.query(`ALTER TABLE selector_pointer DROP COLUMN handle_key`);
  }
}
