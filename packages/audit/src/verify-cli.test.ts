import { spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { provisionDatabase, type DatabaseUrls } from "@interforce/db";
import { REPO_ROOT } from "@interforce/domain";
import { AuditLog } from "./audit-log.js";
import { GENESIS_HASH, hashEvent } from "./hash.js";
import { freePort, startTestCluster, type TestCluster } from "./test-cluster.js";

const tsx = resolve(REPO_ROOT, "node_modules/.bin/tsx");
const cli = resolve(REPO_ROOT, "infra/audit/verify.ts");

async function withPg<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function accepting(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => (socket.destroy(), done(true)));
    socket.once("error", () => done(false));
  });
}

describe("tsx infra/audit/verify.ts", { timeout: 120_000 }, () => {
  let home: string;
  let port: number;
  let tc: TestCluster;
  let kent: DatabaseUrls;
  let big: DatabaseUrls;
  let env: NodeJS.ProcessEnv;

  const run = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
    spawnSync(tsx, [cli, ...args], { cwd: REPO_ROOT, encoding: "utf8", env: { ...env, ...extra }, timeout: 90_000 });

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), "interforce-audit-cli-"));
    port = await freePort();
    // The dev cluster layout the CLI expects: <INTERFORCE_HOME>/pg on 54329 + INTERFORCE_PORT_OFFSET.
    tc = await startTestCluster({ root: home, port });
    env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(MIGRATION_)?DATABASE_URL_/.test(k)));
    env.INTERFORCE_HOME = home;
    env.INTERFORCE_PORT_OFFSET = String(port - 54329);

    kent = await tc.auditDatabase("interforce_kent");
    const log = new AuditLog(await tc.dataSource(kent.appUrl));
    for (let i = 0; i < 25; i++) {
      await log.record({
        action: "CONSULTATION",
        operation: "search",
        principal: { sub: "pc.smith", org: "KENT", roles: ["OFFICER"] },
        purpose: `enquiry ${i}`,
        requestId: `r${i}`,
        records: [{ id: `KENT:identity:${i}`, kind: "identity", level: "FULL", reason: "own-force" }],
      });
    }

    // A long chain, written directly so that the test stays quick.
    big = await tc.auditDatabase("audit_big");
    const rows: { at: string; request_id: string; prev_hash: string; hash: string }[] = [];
    let prev = GENESIS_HASH;
    for (let i = 0; i < 10_050; i++) {
      const at = new Date(Date.UTC(2024, 10, 25) + i * 1000).toISOString();
      const hash = hashEvent(prev, {
        at,
        sub: "svc",
        org: "CEOP",
        roles: ["SERVICE"],
        purpose: null,
        operation: "_entities",
        action: "DISCLOSURE",
        requestId: `b${i}`,
        recordIds: [],
        recordKinds: [],
        levels: [],
        reasons: [],
        recipientOrg: "HUB",
        detail: {},
      });
      rows.push({ at, request_id: `b${i}`, prev_hash: prev, hash });
      prev = hash;
    }
    await withPg(big.ownerUrl, (c) =>
      c.query(
        `INSERT INTO audit_event (at, sub, org, roles, operation, action, request_id, record_ids, record_kinds, levels,
           reasons, recipient_org, prev_hash, hash)
         SELECT x.at, 'svc', 'CEOP', '{SERVICE}', '_entities', 'DISCLOSURE', x.request_id, '{}', '{}', '{}', '{}', 'HUB',
           x.prev_hash, x.hash
         FROM jsonb_to_recordset($1::jsonb) AS x(at timestamptz, request_id text, prev_hash text, hash text)
         ORDER BY x.at`,
        [JSON.stringify(rows)],
      ),
    );

    // A hub database the audit migration has not reached.
    await provisionDatabase(tc.cluster.superuserUrl(), { database: "interforce_hub", role: "hub_app", password: "hub" });
  }, 180_000);

  afterAll(async () => {
    await tc?.stop();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it("explains itself", () => {
    const out = run(["--help"]);
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/^usage: tsx infra\/audit\/verify.ts --org <ORG\|HUB>/);
  });

  it("rejects a missing or unknown org, and unknown flags, with status 2", () => {
    const unknown = run(["--org", "NOWHERE"]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^Unknown org "NOWHERE"; expected one of HUB, NORFOLK, KENT, ESSEX, CEOP/);
    expect(run([]).status).toBe(2);
    expect(run(["--org", "KENT", "--fix"]).status).toBe(2);
    const half = run(["--org", "KENT"], { MIGRATION_DATABASE_URL_KENT: kent.ownerUrl });
    expect(half.status).toBe(2);
    expect(half.stderr).toMatch(/DATABASE_URL_KENT is not/);
  });

  it("verifies an org's chain on the running dev cluster", () => {
    for (const org of ["KENT", "kent"]) {
      const out = run(["--org", org]);
      expect(out.stderr).toBe("");
      expect(out.status).toBe(0);
      expect(out.stdout).toMatch(/^KENT: head is seq 25, hash [0-9a-f]{64}\nKENT audit chain intact: 25 events\n$/);
    }
  });

  it("uses DATABASE_URL_<ORG> when set, and reports progress on long chains", () => {
    const out = run(["--org", "CEOP"], { DATABASE_URL_CEOP: big.appUrl });
    expect(out.status).toBe(0);
    const lines = out.stdout.trim().split("\n");
    expect(lines[0]).toBe("CEOP: 10000 events verified…");
    expect(lines.at(-1)).toBe("CEOP audit chain intact: 10050 events");
  });

  it("fails with status 3 when there is nothing to verify", () => {
    const hub = run(["--org", "HUB"]);
    expect(hub.status).toBe(3);
    expect(hub.stderr).toMatch(/HUB: interforce_hub has no audit_event table/);
    const essex = run(["--org", "ESSEX"]);
    expect(essex.status).toBe(3);
    expect(essex.stderr).toMatch(/database "interforce_essex" does not exist/);
  });

  it("reports the first broken event with status 1", async () => {
    const tamper = (sql: string) =>
      withPg(kent.ownerUrl, async (c) => {
        await c.query("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only");
        await c.query(sql);
        await c.query("ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only");
      });
    await tamper("UPDATE audit_event SET purpose = 'routine' WHERE seq = 4");
    const altered = run(["--org", "KENT"]);
    expect(altered.status).toBe(1);
    expect(altered.stdout).toBe("KENT audit chain BROKEN at seq 4: hash mismatch (row altered)\n");
    await tamper("UPDATE audit_event SET purpose = 'enquiry 3' WHERE seq = 4");
    expect(run(["--org", "KENT"]).status).toBe(0);
  });

  it("starts the dev cluster when it is not running, and stops it again", async () => {
    await tc.stop();
    expect(await accepting(port)).toBe(false);
    const out = run(["--org", "KENT"]);
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/KENT audit chain intact: 25 events\n$/);
    expect(out.stderr).toContain(`[postgres] reusing PostgreSQL cluster in ${join(home, "pg")}`);
    expect(await accepting(port)).toBe(false);

    const nowhere = await mkdtemp(join(tmpdir(), "interforce-audit-empty-"));
    try {
      const none = run(["--org", "KENT"], { INTERFORCE_HOME: nowhere });
      expect(none.status).toBe(3);
      expect(none.stderr).toMatch(/No local PostgreSQL cluster in .* run `npm start` once, or set DATABASE_URL_KENT/);
    } finally {
      await rm(nowhere, { recursive: true, force: true });
    }
  });
});
