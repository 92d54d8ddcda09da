import type { MigrationInterface, QueryRunner } from "typeorm";

const CLASSIFICATION = `classification text NOT NULL CHECK (classification IN ('OFFICIAL','OFFICIAL_SENSITIVE','SECRET'))`;

export class MonitoringSightings1732810000000 implements MigrationInterface {
  name = "MonitoringSightings1732810000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE forum ADD COLUMN risk_level text NOT NULL DEFAULT 'MEDIUM' CHECK (risk_level IN ('LOW','MEDIUM','HIGH'))`);
    // An assignment names a forum of any org by global id; the forum's owner is not asked.
    await q.query(`CREATE TABLE monitoring_assignment (
      id uuid PRIMARY KEY,
      forum_id text NOT NULL,
      valid_from timestamptz(3) NOT NULL,
      valid_to timestamptz(3),
      covert boolean NOT NULL DEFAULT false,
      ${CLASSIFICATION},
      lead_name text NOT NULL,
      lead_email text NOT NULL,
      lead_phone text NOT NULL,
      created_by text NOT NULL,
      ended_by text,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz(3) NOT NULL DEFAULT now(),
      CHECK (valid_to IS NULL OR valid_to > valid_from))`);
    await q.query(`CREATE INDEX monitoring_assignment_page ON monitoring_assignment (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX monitoring_assignment_forum ON monitoring_assignment (forum_id)`);
    // A sighting of another org's identity: the note stays here; the hub gets only a pointer.
    await q.query(`CREATE TABLE sighting (
      id uuid PRIMARY KEY,
      identity_id text NOT NULL,
      identity_org text NOT NULL,
      forum_id text,
      seen_at timestamptz(3) NOT NULL,
      note text,
      ${CLASSIFICATION},
      created_by text NOT NULL,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz(3) NOT NULL DEFAULT now())`);
    await q.query(`CREATE INDEX sighting_page ON sighting (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX sighting_identity_org ON sighting (identity_org, created_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE sighting, monitoring_assignment`);
    await q.query(`ALTER TABLE forum DROP COLUMN risk_level`);
  }
}
