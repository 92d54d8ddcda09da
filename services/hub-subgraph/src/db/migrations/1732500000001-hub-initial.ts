import type { MigrationInterface, QueryRunner } from "typeorm";

export class HubInitial1732500000001 implements MigrationInterface {
  name = "HubInitial1732500000001";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE agreement (
      id uuid PRIMARY KEY,
      name text NOT NULL,
      members text[] NOT NULL,
      kinds text[] NOT NULL,
      max_classification text NOT NULL CHECK (max_classification IN ('OFFICIAL','OFFICIAL_SENSITIVE','SECRET')),
      status text NOT NULL CHECK (status IN ('ACTIVE','SUSPENDED','REVOKED')),
      valid_from timestamptz NOT NULL,
      valid_to timestamptz,
      version integer NOT NULL DEFAULT 1,
      updated_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE TABLE selector_pointer (
      record_id text NOT NULL,
      selector text NOT NULL,
      org text NOT NULL,
      kind text NOT NULL,
      platform text NOT NULL,
      classification text NOT NULL,
      handling text NOT NULL,
      handling_orgs text[] NOT NULL DEFAULT '{}',
      covert boolean NOT NULL,
      review_due timestamptz,
      last_event_id uuid NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (record_id, selector))`);
    await q.query(`CREATE INDEX selector_pointer_lookup ON selector_pointer (selector)`);
    // Every relayed outbox event, so a redelivery is recognised and applied once.
    await q.query(`CREATE TABLE index_inbox (
      event_id uuid PRIMARY KEY,
      org text NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now())`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE index_inbox, selector_pointer, agreement`);
  }
}
