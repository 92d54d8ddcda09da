import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Every writer takes this transaction-scoped advisory lock before reading the chain head, so
 * concurrent writers (several service instances included) extend one chain instead of forking it.
 * ASCII "IFAUDIT".
 */
export const AUDIT_CHAIN_LOCK_KEY = "20624919717235028";

const ISO_MILLIS = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

/**
 * The DPA 2018 s.62 log. Statements run in order as the table owner (migrations connect with
 * the owner's URL); the app role keeps only the SELECT and INSERT it was given through
 * default privileges.
 */
export const AUDIT_MIGRATION_UP: string[] = [
  `CREATE TABLE audit_event (
    seq bigserial PRIMARY KEY,
    at timestamptz(3) NOT NULL,
    sub text,
    org text,
    roles text[],
    purpose text,
    operation text NOT NULL,
    action text NOT NULL CHECK (action IN ('COLLECTION','ALTERATION','CONSULTATION','DISCLOSURE','ERASURE')),
    request_id text,
    record_ids text[] NOT NULL,
    record_kinds text[] NOT NULL,
    levels text[] NOT NULL CHECK (levels <@ ARRAY['FULL','POINTER','NONE']::text[]),
    reasons text[] NOT NULL,
    recipient_org text,
    detail jsonb NOT NULL DEFAULT '{}',
    prev_hash text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
    hash text NOT NULL UNIQUE CHECK (hash ~ '^[0-9a-f]{64}$'),
    -- One entry per record in each array, so the log can say what was released of which record and why.
    CONSTRAINT audit_event_records_aligned CHECK (
      cardinality(record_kinds) = cardinality(record_ids)
      AND cardinality(levels) = cardinality(record_ids)
      AND cardinality(reasons) = cardinality(record_ids)),
    -- At most one successor per event: a writer that skipped the lock fails instead of forking the chain.
    CONSTRAINT audit_event_prev_hash_key UNIQUE (prev_hash)
  )`,
  `CREATE INDEX audit_event_at ON audit_event (at)`,
  `CREATE INDEX audit_event_org_at ON audit_event (org, at)`,
  `CREATE INDEX audit_event_sub_at ON audit_event (sub, at)`,
  `CREATE INDEX audit_event_record_ids ON audit_event USING gin (record_ids)`,
  // Append-only: the app role received UPDATE and DELETE through default privileges, and any
  // other role may hold them too; only the owner (migrations) keeps them.
  `DO $$
  DECLARE
    grantee record;
  BEGIN
    REVOKE UPDATE, DELETE, TRUNCATE ON TABLE audit_event FROM PUBLIC;
    FOR grantee IN
      SELECT DISTINCT r.rolname
      FROM pg_class c
      CROSS JOIN LATERAL aclexplode(c.relacl) a
      JOIN pg_roles r ON r.oid = a.grantee
      WHERE c.oid = 'audit_event'::regclass
        AND a.grantee <> c.relowner
        AND a.privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE')
    LOOP
      EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON TABLE audit_event FROM %I', grantee.rolname);
    END LOOP;
    IF EXISTS (
      SELECT 1
      FROM pg_class c
      CROSS JOIN LATERAL aclexplode(c.relacl) a
      WHERE c.oid = 'audit_event'::regclass
        AND a.grantee <> c.relowner
        AND a.privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE')
    ) THEN
      RAISE EXCEPTION 'audit_event: could not revoke UPDATE, DELETE and TRUNCATE from every non-owner role';
    END IF;
  END $$`,
  // Defence in depth for roles that keep the privilege (the owner, a superuser): they have to
  // disable the trigger first, which is itself a deliberate, visible act.
  `CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    RAISE EXCEPTION 'audit_event is append-only (DPA 2018 s.62 log): % is not allowed', TG_OP
      USING ERRCODE = 'insufficient_privilege';
  END $$`,
  `CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()`,
  `CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()`,
  // Takes the chain lock and then reads the head in one round trip. It has to be a volatile
  // function: a single statement such as a CTE reads with the snapshot taken before it waited
  // for the lock, so it would miss the head the previous holder just committed. `at` comes from
  // the database clock and never runs backwards along the chain, so seq order is time order.
  `CREATE FUNCTION audit_chain_head(OUT prev_hash text, OUT at text) LANGUAGE plpgsql VOLATILE AS $$
  DECLARE
    last_hash text;
    last_at timestamptz;
  BEGIN
    -- Under a snapshot isolation level the read below would not see the newest head.
    IF current_setting('transaction_isolation') <> 'read committed' THEN
      RAISE EXCEPTION 'audit events must be written under READ COMMITTED, not %', upper(current_setting('transaction_isolation'));
    END IF;
    PERFORM pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK_KEY});
    SELECT e.hash, e.at INTO last_hash, last_at FROM audit_event e ORDER BY e.seq DESC LIMIT 1;
    prev_hash := coalesce(last_hash, repeat('0', 64));
    at := to_char(greatest(date_trunc('milliseconds', clock_timestamp()), last_at) AT TIME ZONE 'UTC', ${ISO_MILLIS});
  END $$`,
];

export const AUDIT_MIGRATION_DOWN: string[] = [
  `DROP FUNCTION IF EXISTS audit_chain_head()`,
  `DROP TABLE IF EXISTS audit_event`,
  `DROP FUNCTION IF EXISTS audit_event_append_only()`,
];

/** Shared by the force and hub data sources; add it to their `migrations`. */
export class AuditLog1732600000000 implements MigrationInterface {
  name = "AuditLog1732600000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of AUDIT_MIGRATION_UP) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of AUDIT_MIGRATION_DOWN) await queryRunner.query(statement);
  }
}
