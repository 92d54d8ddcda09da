import type { MigrationInterface, QueryRunner } from "typeorm";

export class PolicyAdmin1732500000002 implements MigrationInterface {
  name = "PolicyAdmin1732500000002";

  async up(q: QueryRunner): Promise<void> {
    // Every version of every agreement, so its history can be shown and audited.
    await q.query(`CREATE TABLE agreement_history (
      agreement_id uuid NOT NULL REFERENCES agreement(id),
      version integer NOT NULL,
      change text NOT NULL,
      reason text,
      changed_by text NOT NULL,
      changed_at timestamptz(3) NOT NULL DEFAULT now(),
      snapshot jsonb NOT NULL,
      PRIMARY KEY (agreement_id, version))`);
    await q.query(`INSERT INTO agreement_history (agreement_id, version, change, changed_by, snapshot)
      SELECT id, version, 'CREATED', 'migration', to_jsonb(a) - 'id' FROM agreement a`);
    await q.query(`CREATE TABLE access_request (
      id uuid PRIMARY KEY,
      record_id text NOT NULL,
      owner_org text NOT NULL,
      requester_org text NOT NULL,
      requester_sub text NOT NULL,
      purpose text NOT NULL,
      status text NOT NULL CHECK (status IN ('PENDING','GRANTED','DECLINED')),
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      decided_at timestamptz(3),
      decided_by text,
      note text,
      grant_expires_at timestamptz(3))`);
    await q.query(`CREATE INDEX access_request_owner ON access_request (owner_org, status, created_at DESC)`);
    await q.query(`CREATE INDEX access_request_requester ON access_request (requester_org, created_at DESC)`);
    await q.query(`CREATE INDEX access_request_grants ON access_request (owner_org, grant_expires_at) WHERE status = 'GRANTED'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE access_request, agreement_history`);
  }
}
