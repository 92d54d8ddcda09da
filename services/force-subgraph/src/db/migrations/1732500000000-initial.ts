import type { MigrationInterface, QueryRunner } from "typeorm";

// created_at is kept to the millisecond so that page cursors (JS dates) compare exactly.
const MARKINGS = `
  classification text NOT NULL CHECK (classification IN ('OFFICIAL','OFFICIAL_SENSITIVE','SECRET')),
  source_eval text NOT NULL CHECK (source_eval IN ('1','2','3')),
  assessment text NOT NULL CHECK (assessment IN ('A','B','C','D','E')),
  handling text NOT NULL CHECK (handling IN ('P','C')),
  handling_conditions text,
  handling_orgs text[] NOT NULL DEFAULT '{}',
  covert boolean NOT NULL DEFAULT false,
  review_due timestamptz,
  created_by text NOT NULL,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  updated_at timestamptz(3) NOT NULL DEFAULT now()`;

export class Initial1732500000000 implements MigrationInterface {
  name = "Initial1732500000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE online_identity (
      id uuid PRIMARY KEY,
      platform text NOT NULL,
      platform_other text,
      handle text NOT NULL,
      normalised_handle text NOT NULL,
      display_name text,
      profile_url text,
      status text NOT NULL CHECK (status IN ('SUSPECT','VICTIM_AT_RISK','DECOY','UNKNOWN')),
      notes text,
      first_seen timestamptz,
      last_seen timestamptz,
      ${MARKINGS})`);
    await q.query(`CREATE INDEX online_identity_page ON online_identity (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX online_identity_handle ON online_identity (normalised_handle, platform)`);
    await q.query(`CREATE TABLE forum (
      id uuid PRIMARY KEY,
      platform text NOT NULL,
      name text NOT NULL,
      url text,
      kind text NOT NULL CHECK (kind IN ('CHAT_ROOM','FORUM','SOCIAL_NETWORK','GAME_CHAT','MESSAGING_GROUP')),
      risk_summary text,
      ${MARKINGS})`);
    await q.query(`CREATE INDEX forum_page ON forum (created_at DESC, id DESC)`);
    await q.query(`CREATE TABLE suspect_link (
      id uuid PRIMARY KEY,
      from_id text NOT NULL,
      to_identity_id text,
      to_forum_id text,
      link_type text NOT NULL CHECK (link_type IN ('SAME_PERSON','ALIAS_OF','COMMUNICATES_WITH','MEMBER_OF','ADMIN_OF')),
      rationale text,
      ${MARKINGS},
      CHECK ((to_identity_id IS NULL) <> (to_forum_id IS NULL)))`);
    await q.query(`CREATE INDEX suspect_link_page ON suspect_link (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX suspect_link_from ON suspect_link (from_id)`);
    await q.query(`CREATE INDEX suspect_link_to_identity ON suspect_link (to_identity_id)`);
    await q.query(`CREATE TABLE outbox (
      seq bigserial PRIMARY KEY,
      event_id uuid NOT NULL UNIQUE,
      topic text NOT NULL,
      payload jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      published_at timestamptz,
      attempts integer NOT NULL DEFAULT 0)`);
    await q.query(`CREATE INDEX outbox_pending ON outbox (seq) WHERE published_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE outbox, suspect_link, forum, online_identity`);
  }
}
