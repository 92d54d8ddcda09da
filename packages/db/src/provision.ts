import { withClient } from "./pg.js";

const IDENTIFIER = /^[a-z][a-z0-9_]{0,62}$/;

export interface ProvisionSpec {
  database: string;
  role: string;
  password: string;
  /**
   * The database's character classification (LC_CTYPE, libc provider). The hub needs a UTF-8
   * one: pg_trgm counts only letters of the ctype as word characters, and the hub's keyed
   * trigram letters are CJK and Hangul code points.
   */
  ctype?: "C.UTF-8";
  log?: (msg: string) => void;
}

export interface DatabaseUrls {
  /** For the running service: the org's own login role. */
  appUrl: string;
  /** For migrations: the database owner. */
  ownerUrl: string;
}

/**
 * Creates (or brings up to date) a login role and a database it alone may use. The database
 * stays owned by the connecting superuser so migrations run as the owner, and the app role only
 * gets DML through default privileges, which a migration can still narrow table by table
 * (e.g. revoking UPDATE and DELETE on an append-only audit table).
 */
export async function provisionDatabase(superuserUrl: string, spec: ProvisionSpec): Promise<DatabaseUrls> {
  const { database, role, password, ctype, log = () => {} } = spec;
  assertIdentifier("database", database);
  assertIdentifier("role", role);

  await withClient(superuserUrl, async (client) => {
    const r = client.escapeIdentifier(role);
    const d = client.escapeIdentifier(database);
    const existing = await client.query<{ rolsuper: boolean }>("SELECT rolsuper FROM pg_roles WHERE rolname = $1", [role]);
    if (existing.rows[0]?.rolsuper) throw new Error(`Refusing to use superuser ${role} as an app role`);
    // ALTER on an existing role keeps the password in step with the caller's.
    await client.query(
      `${existing.rowCount ? "ALTER" : "CREATE"} ROLE ${r} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE ` + `PASSWORD ${client.escapeLiteral(password)}`,
    );
    const dbExists = (await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database])).rowCount;
    if (!dbExists) {
      const locale = ctype ? ` LOCALE_PROVIDER libc LC_COLLATE 'C' LC_CTYPE ${client.escapeLiteral(ctype)} TEMPLATE template0` : "";
      await client.query(`CREATE DATABASE ${d}${locale}`);
    }
    // By default every role may connect to every database; confine each role to its own.
    await client.query(`REVOKE CONNECT, TEMPORARY ON DATABASE ${d} FROM PUBLIC`);
    await client.query(`GRANT CONNECT ON DATABASE ${d} TO ${r}`);
  });

  const ownerUrl = withDatabase(superuserUrl, database);
  await withClient(ownerUrl, async (client) => {
    const r = client.escapeIdentifier(role);
    await client.query("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
    await client.query(`GRANT USAGE ON SCHEMA public TO ${r}`);
    // Default privileges cover objects later created by this (owner) role, i.e. by migrations.
    // Deliberately no GRANT ... ON ALL TABLES: re-provisioning must not undo a migration's REVOKE.
    await client.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${r}`);
    await client.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${r}`);
    const trgm = await client.query("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'");
    if (trgm.rowCount) await client.query("CREATE EXTENSION IF NOT EXISTS pg_trgm");
    else log(`pg_trgm is not available on this server; ${database} has no trigram matching`);
  });

  const app = new URL(ownerUrl);
  app.username = role;
  app.password = password;
  return { appUrl: app.toString(), ownerUrl };
}

/**
 * The maintenance databases are open to PUBLIC by default; on a cluster we own, closing them
 * leaves each app role able to reach nothing but its own database.
 */
export async function confineMaintenanceDatabases(superuserUrl: string): Promise<void> {
  await withClient(superuserUrl, async (client) => {
    await client.query("REVOKE CONNECT, TEMPORARY ON DATABASE postgres, template1 FROM PUBLIC");
  });
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

function assertIdentifier(kind: string, value: string): void {
  if (!IDENTIFIER.test(value)) {
    throw new Error(`Invalid ${kind} name ${JSON.stringify(value)}: expected ${IDENTIFIER}`);
  }
}
