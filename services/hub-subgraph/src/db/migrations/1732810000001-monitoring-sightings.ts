import type { MigrationInterface, QueryRunner } from "typeorm";

const CLASSIFICATION = `classification text NOT NULL CHECK (classification IN ('OFFICIAL','OFFICIAL_SENSITIVE','SECRET'))`;

/**
 * Pointers for joint monitoring and sightings: ids, orgs, markings, dates and risk level,
 * never content (forum names, lead officers, notes stay with the forces). `source_at` is the
 * force's time of the change, so a late redelivery cannot overwrite a newer state.
 */
export class MonitoringSightings1732810000001 implements MigrationInterface {
  name = "MonitoringSightings1732810000001";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE forum_pointer (
      record_id text PRIMARY KEY,
      org text NOT NULL,
      risk_level text NOT NULL CHECK (risk_level IN ('LOW','MEDIUM','HIGH')),
      ${CLASSIFICATION},
      handling text NOT NULL CHECK (handling IN ('P','C')),
      handling_orgs text[] NOT NULL DEFAULT '{}',
      covert boolean NOT NULL,
      review_due timestamptz,
      source_at timestamptz(3) NOT NULL,
      last_event_id uuid NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE INDEX forum_pointer_high_risk ON forum_pointer (record_id) WHERE risk_level = 'HIGH'`);
    await q.query(`CREATE TABLE monitoring_pointer (
      assignment_id text PRIMARY KEY,
      org text NOT NULL,
      forum_id text NOT NULL,
      valid_from timestamptz(3) NOT NULL,
      valid_to timestamptz(3),
      covert boolean NOT NULL,
      ${CLASSIFICATION},
      source_at timestamptz(3) NOT NULL,
      last_event_id uuid NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE INDEX monitoring_pointer_forum ON monitoring_pointer (forum_id, valid_from DESC, assignment_id DESC)`);
    await q.query(`CREATE TABLE sighting_pointer (
      sighting_id text PRIMARY KEY,
      org text NOT NULL,
      identity_id text NOT NULL,
      identity_org text NOT NULL,
      forum_id text,
      seen_at timestamptz(3) NOT NULL,
      ${CLASSIFICATION},
      last_event_id uuid NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE INDEX sighting_pointer_identity ON sighting_pointer (identity_id, seen_at DESC, sighting_id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE sighting_pointer, monitoring_pointer, forum_pointer`);
  }
}
