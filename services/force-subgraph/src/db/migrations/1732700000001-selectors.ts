import type { MigrationInterface, QueryRunner } from "typeorm";

export class Selectors1732700000001 implements MigrationInterface {
  name = "Selectors1732700000001";

  async up(q: QueryRunner): Promise<void> {
    // Only hashes are kept: the raw address or number is never stored or shared.
    await q.query(`ALTER TABLE online_identity ADD COLUMN email_hashes text[] NOT NULL DEFAULT '{}'`);
    await q.query(`ALTER TABLE online_identity ADD COLUMN phone_hashes text[] NOT NULL DEFAULT '{}'`);
    // Client-supplied keys make every write idempotent: a retried mutation returns the first result.
    await q.query(`CREATE TABLE idempotency_key (
      key text NOT NULL,
      principal text NOT NULL,
      operation text NOT NULL,
      request_hash text NOT NULL,
      result_id text NOT NULL,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      PRIMARY KEY (principal, key))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE idempotency_key`);
    await q.query(`ALTER TABLE online_identity DROP COLUMN email_hashes, DROP COLUMN phone_hashes`);
  }
}
