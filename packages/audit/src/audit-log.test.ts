import fc from "fast-check";
import type { DataSource } from "typeorm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { provisionDatabase, type DatabaseUrls } from "@interforce/db";
import { AuditLog, auditCursor, type AuditEventInput, type AuditEventRow } from "./audit-log.js";
import { GENESIS_HASH, canonicalJson, hashEvent } from "./hash.js";
import { startTestCluster, type TestCluster } from "./test-cluster.js";
import { verifyChain } from "./verify.js";
import pg from "pg";

let n = 0;
function event(overrides: Partial<AuditEventInput> = {}): AuditEventInput {
  n++;
  return {
    action: "CONSULTATION",
    operation: "search",
    principal: { sub: "analyst.jones", org: "KENT", roles: ["ANALYST"] },
    purpose: `Operation Larch ${n}`,
    requestId: `req-${n}`,
    records: [
      { id: `KENT:identity:${n}`, kind: "identity", level: "FULL", reason: "own-force" },
      { id: "ESSEX:identity:x", kind: "identity", level: "POINTER", reason: "agreement:pointer-only" },
    ],
    recipientOrg: null,
    detail: { selector: "darkangel99@snapchat", hits: 2 },
    ...overrides,
  };
}

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

async function count(url: string): Promise<number> {
  return withPg(url, async (c) => Number((await c.query("SELECT count(*) AS n FROM audit_event")).rows[0].n));
}

let tc: TestCluster;

beforeAll(async () => {
  tc = await startTestCluster();
}, 120_000);

afterAll(async () => {
  await tc?.stop();
});

describe("record() and verifyChain()", () => {
  let urls: DatabaseUrls;
  let app: DataSource;
  let log: AuditLog;

  beforeAll(async () => {
    urls = await tc.auditDatabase("audit_chain");
    app = await tc.dataSource(urls.appUrl);
    log = new AuditLog(app);
  });

  it("verifies an empty log", async () => {
    expect(await verifyChain(urls.appUrl)).toEqual({ ok: true, events: 0, head: null });
  });

  it("chains sequential and 20 concurrent writes into one intact chain", async () => {
    await log.record(event());
    await Promise.all(Array.from({ length: 20 }, () => log.record(event())));

    const result = await verifyChain(urls.appUrl);
    expect(result).toMatchObject({ ok: true, events: 21 });

    const rows = await withPg(
      urls.ownerUrl,
      async (c) =>
        (
          await c.query<{ seq: string; prev_hash: string; hash: string; at: Date }>(
            "SELECT seq::text AS seq, prev_hash, hash, at FROM audit_event e ORDER BY e.seq",
          )
        ).rows,
    );
    expect(rows).toHaveLength(21);
    expect(rows[0]!.prev_hash).toBe(GENESIS_HASH);
    for (let i = 1; i < rows.length; i++) {
      expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
      // Time never runs backwards along the chain.
      expect(rows[i]!.at.getTime()).toBeGreaterThanOrEqual(rows[i - 1]!.at.getTime());
    }
    expect(result.ok && result.head).toEqual({ seq: rows[20]!.seq, hash: rows[20]!.hash });
  });

  it("verifies through a query function and across batch boundaries", async () => {
    const events = await count(urls.appUrl);
    const progress: number[] = [];
    const result = await verifyChain((sql, params) => app.query(sql, params), {
      batchSize: 4,
      onProgress: (e) => progress.push(e),
    });
    expect(result).toMatchObject({ ok: true, events });
    expect(progress.at(-1)).toBe(events);
    expect(progress.length).toBe(Math.ceil(events / 4));
  });

  it("stores exactly what it hashed, whatever the detail, strings and key order", async () => {
    await log.record(
      event({
        action: "DISCLOSURE",
        recipientOrg: "ESSEX",
        purpose: 'lone \ud800 surrogate, emoji 🦊, quote " and backslash \\',
        principal: { sub: "sgt.o'brien", org: "KENT", roles: [] },
        records: [{ id: 'weird{"id"}', kind: "link,kind", level: "NONE", reason: "" }],
        detail: { z: 1, a: [1.5, -0, 1e21, "x\udc00y"], nested: { b: null, a: JSON.parse('{"__proto__": 1}') }, when: new Date(0), gone: undefined },
      }),
    );
    await log.record(event({ detail: undefined, records: [] }));
    expect(await verifyChain(urls.appUrl)).toMatchObject({ ok: true });
  });

  it("hashes a detail exactly as jsonb gives it back (property)", async () => {
    const noNul = (v: unknown) => !canonicalJson(v).includes("\\u0000");
    await withPg(urls.appUrl, async (c) => {
      await fc.assert(
        fc.asyncProperty(fc.dictionary(fc.string(), fc.jsonValue()).filter(noNul), async (detail) => {
          const stored = (await c.query("SELECT $1::jsonb AS d", [JSON.stringify(detail)])).rows[0].d;
          expect(canonicalJson(stored)).toBe(canonicalJson(detail));
        }),
        { numRuns: 200 },
      );
    });
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.string(), fc.jsonValue()).filter(noNul), async (detail) => {
        await log.record(event({ detail }));
      }),
      { numRuns: 25 },
    );
    expect(await verifyChain(urls.appUrl)).toMatchObject({ ok: true });
  });

  it("commits or rolls back with the caller's transaction; a rolled-back seq is not a break", async () => {
    const before = await count(urls.appUrl);
    await expect(
      app.transaction(async (manager) => {
        await log.record(event({ action: "COLLECTION", operation: "kent.recordOnlineIdentity" }), { manager });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await count(urls.appUrl)).toBe(before);

    await app.transaction(async (manager) => {
      await log.record(event({ action: "COLLECTION", operation: "kent.recordOnlineIdentity" }), { manager });
    });
    await log.record(event());
    expect(await count(urls.appUrl)).toBe(before + 2);
    expect(await verifyChain(urls.appUrl)).toMatchObject({ ok: true, events: before + 2 });

    await expect(log.record(event(), { manager: app.manager })).rejects.toThrow(/open transaction/);
    await expect(app.transaction("REPEATABLE READ", (manager) => log.record(event(), { manager }))).rejects.toThrow(
      /must be written under READ COMMITTED, not REPEATABLE READ/,
    );
    expect(await verifyChain(urls.appUrl)).toMatchObject({ ok: true, events: before + 2 });
  });

  it("rejects malformed events before writing anything", async () => {
    const before = await count(urls.appUrl);
    const bad: unknown[] = [
      event({ action: "READ" as never }),
      event({ operation: "" }),
      event({ records: [{ id: "x", kind: "identity", level: "PARTIAL" as never, reason: "r" }] }),
      event({ records: [{ id: 7 as never, kind: "identity", level: "FULL", reason: "r" }] }),
      event({ requestId: undefined as never }),
      event({ principal: { sub: "a", org: "KENT", roles: "ANALYST" as never } }),
      event({ detail: [] as never }),
    ];
    for (const e of bad) await expect(log.record(e as AuditEventInput)).rejects.toThrow(TypeError);
    // PostgreSQL cannot store NUL; the event is refused rather than altered.
    await expect(log.record(event({ purpose: "nul\u0000" }))).rejects.toThrow();
    expect(await count(urls.appUrl)).toBe(before);
    expect(await verifyChain(urls.appUrl)).toMatchObject({ ok: true, events: before });
  });
});

describe("append-only table", () => {
  let urls: DatabaseUrls & { role: string };

  beforeAll(async () => {
    urls = await tc.auditDatabase("audit_priv");
  });

  const insertAsApp = (c: pg.Client) => {
    const fields = {
      at: new Date("2024-11-25T10:00:00.123Z"),
      sub: "pc.smith",
      org: "KENT",
      roles: ["OFFICER"],
      purpose: null,
      operation: "search",
      action: "CONSULTATION",
      requestId: "r1",
      recordIds: [],
      recordKinds: [],
      levels: [],
      reasons: [],
      recipientOrg: null,
      detail: {},
    };
    return c.query(
      `INSERT INTO audit_event (at, sub, org, roles, purpose, operation, action, request_id, record_ids, record_kinds,
         levels, reasons, recipient_org, detail, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '{}', '{}', '{}', '{}', $9, '{}', $10, $11)`,
      [
        fields.at,
        fields.sub,
        fields.org,
        fields.roles,
        fields.purpose,
        fields.operation,
        fields.action,
        fields.requestId,
        fields.recipientOrg,
        GENESIS_HASH,
        hashEvent(GENESIS_HASH, fields),
      ],
    );
  };

  it("lets the app role insert and read, but not update, delete or truncate", async () => {
    await withPg(urls.appUrl, async (c) => {
      await insertAsApp(c);
      expect((await c.query("SELECT count(*)::int AS n FROM audit_event")).rows).toEqual([{ n: 1 }]);
      await expect(c.query("UPDATE audit_event SET purpose = 'x'")).rejects.toThrow(/permission denied for table audit_event/);
      await expect(c.query("DELETE FROM audit_event")).rejects.toThrow(/permission denied for table audit_event/);
      await expect(c.query("TRUNCATE audit_event")).rejects.toThrow(/permission denied for table audit_event/);
    });
    expect(await verifyChain(urls.appUrl)).toMatchObject({ ok: true, events: 1 });
  });

  it("leaves UPDATE, DELETE and TRUNCATE to the owner alone, even after re-provisioning", async () => {
    await provisionDatabase(tc.cluster.superuserUrl(), {
      database: "audit_priv",
      role: urls.role,
      password: `${urls.role}-secret`,
    });
    const holders = await withPg(
      urls.ownerUrl,
      async (c) =>
        (
          await c.query(
            `SELECT coalesce(r.rolname, 'PUBLIC') AS grantee, a.privilege_type
         FROM pg_class t CROSS JOIN LATERAL aclexplode(t.relacl) a LEFT JOIN pg_roles r ON r.oid = a.grantee
         WHERE t.oid = 'audit_event'::regclass AND a.grantee <> t.relowner ORDER BY 1, 2`,
          )
        ).rows,
    );
    expect(holders).toEqual([
      { grantee: urls.role, privilege_type: "INSERT" },
      { grantee: urls.role, privilege_type: "SELECT" },
    ]);
  });

  it("refuses UPDATE, DELETE and TRUNCATE even to the owner while the trigger is enabled", async () => {
    await withPg(urls.ownerUrl, async (c) => {
      await expect(c.query("UPDATE audit_event SET purpose = 'x'")).rejects.toThrow(/append-only.*UPDATE/);
      await expect(c.query("DELETE FROM audit_event")).rejects.toThrow(/append-only.*DELETE/);
      await expect(c.query("TRUNCATE audit_event")).rejects.toThrow(/append-only.*TRUNCATE/);
    });
    expect(await count(urls.ownerUrl)).toBe(1);
  });
});

describe("tampering by someone with superuser access", () => {
  let urls: DatabaseUrls;
  const superuser = (sql: string, params?: unknown[]) =>
    withPg(urls.ownerUrl, async (c) => {
      await c.query("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only");
      try {
        return (await c.query(sql, params)).rows;
      } finally {
        await c.query("ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only");
      }
    });

  beforeAll(async () => {
    urls = await tc.auditDatabase("audit_tamper");
    const app = await tc.dataSource(urls.appUrl);
    const log = new AuditLog(app);
    for (let i = 0; i < 10; i++) await log.record(event());
  });

  it("finds an altered row at exactly its seq", async () => {
    const [original] = await superuser("SELECT purpose FROM audit_event WHERE seq = 5");
    await superuser("UPDATE audit_event SET purpose = 'routine enquiry' WHERE seq = 5");
    for (const batchSize of [1000, 2, 5]) {
      expect(await verifyChain(urls.appUrl, { batchSize })).toEqual({
        ok: false,
        events: 5,
        firstBrokenSeq: "5",
        reason: "hash mismatch",
        explanation: "row altered",
      });
    }
    await superuser("UPDATE audit_event SET purpose = $1 WHERE seq = 5", [original.purpose]);
    expect(await verifyChain(urls.appUrl)).toMatchObject({ ok: true, events: 10 });
  });

  it("finds a row rewritten with a freshly computed hash at the next link", async () => {
    const [row] = await superuser(`SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, * FROM audit_event WHERE seq = 3`);
    const forged = hashEvent(row.prev_hash, {
      at: row.at,
      sub: row.sub,
      org: row.org,
      roles: row.roles,
      purpose: "nothing to see",
      operation: row.operation,
      action: row.action,
      requestId: row.request_id,
      recordIds: row.record_ids,
      recordKinds: row.record_kinds,
      levels: row.levels,
      reasons: row.reasons,
      recipientOrg: row.recipient_org,
      detail: row.detail,
    });
    await superuser("UPDATE audit_event SET purpose = 'nothing to see', hash = $1 WHERE seq = 3", [forged]);
    expect(await verifyChain(urls.appUrl)).toMatchObject({
      ok: false,
      events: 4,
      firstBrokenSeq: "4",
      reason: "chain link mismatch",
    });
    await superuser("UPDATE audit_event SET purpose = $1, hash = $2 WHERE seq = 3", [row.purpose, row.hash]);
    expect(await verifyChain(urls.appUrl)).toMatchObject({ ok: true, events: 10 });
  });

  it("finds a deleted row in the middle at the row after it", async () => {
    await superuser("DELETE FROM audit_event WHERE seq = 7");
    expect(await verifyChain(urls.appUrl, { batchSize: 3 })).toEqual({
      ok: false,
      events: 7,
      firstBrokenSeq: "8",
      reason: "sequence gap",
      explanation: "seq 7 missing: rows deleted",
    });
  });

  it("finds deleted first rows", async () => {
    await superuser("DELETE FROM audit_event WHERE seq IN (1, 2)");
    expect(await verifyChain(urls.appUrl)).toMatchObject({
      ok: false,
      events: 1,
      firstBrokenSeq: "3",
      reason: "sequence gap",
      explanation: "seqs 1..2 missing: rows deleted",
    });
  });
});

describe("failing closed", () => {
  let urls: DatabaseUrls & { role: string };
  let log: AuditLog;

  beforeAll(async () => {
    urls = await tc.auditDatabase("audit_closed");
    log = new AuditLog(await tc.dataSource(urls.appUrl));
    await log.record(event());
  });

  it("rejects when the table cannot be written, and leaves the chain intact", async () => {
    await withPg(urls.ownerUrl, (c) => c.query(`REVOKE INSERT ON audit_event FROM ${urls.role}`));
    try {
      await expect(log.record(event())).rejects.toThrow(/permission denied for table audit_event/);
    } finally {
      await withPg(urls.ownerUrl, (c) => c.query(`GRANT INSERT ON audit_event TO ${urls.role}`));
    }
    await log.record(event());
    expect(await verifyChain(urls.appUrl)).toMatchObject({ ok: true, events: 2 });
  });

  it("rejects when the database is out of reach", async () => {
    const gone = await tc.dataSource(urls.appUrl);
    await gone.destroy();
    await expect(new AuditLog(gone).record(event())).rejects.toThrow();
  });

  it("refuses a writer that skipped the chain lock rather than forking the chain", async () => {
    await withPg(urls.appUrl, async (c) => {
      const head = (await c.query("SELECT hash FROM audit_event ORDER BY seq DESC LIMIT 1")).rows[0].hash;
      const prevOfHead = (await c.query("SELECT prev_hash FROM audit_event ORDER BY seq DESC LIMIT 1")).rows[0].prev_hash;
      await expect(
        c.query(
          `INSERT INTO audit_event (at, operation, action, record_ids, record_kinds, levels, reasons, prev_hash, hash)
           VALUES (now(), 'x', 'CONSULTATION', '{}', '{}', '{}', '{}', $1, $2)`,
          [prevOfHead, "f".repeat(64)],
        ),
      ).rejects.toThrow(/audit_event_prev_hash_key/);
      expect(head).toMatch(/^[0-9a-f]{64}$/);
    });
  });
});

describe("listing for force admins", () => {
  let log: AuditLog;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  beforeAll(async () => {
    const urls = await tc.auditDatabase("audit_list");
    log = new AuditLog(await tc.dataSource(urls.appUrl));
    for (let i = 0; i < 25; i++) {
      await log.record(
        event({
          principal: { sub: "alice", org: "KENT", roles: ["ANALYST"] },
          records: [
            { id: "KENT:identity:A", kind: "identity", level: "FULL", reason: "own-force" },
            { id: `KENT:forum:${i}`, kind: "forum", level: "NONE", reason: "covert" },
          ],
        }),
      );
      if (i % 3 === 0) {
        await log.record(
          event({
            principal: { sub: "bob", org: "ESSEX", roles: ["OFFICER"] },
            action: "DISCLOSURE",
            recipientOrg: "ESSEX",
            records: [{ id: "KENT:identity:B", kind: "identity", level: "POINTER", reason: "agreement" }],
          }),
        );
      }
    }
  });

  async function all(fetch: (after: string | null) => ReturnType<AuditLog["listByRecord"]>): Promise<{ nodes: AuditEventRow[]; pages: number }> {
    const nodes: AuditEventRow[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const page = await fetch(after);
      pages++;
      nodes.push(...page.nodes);
      expect(page.pageInfo.endCursor).toBe(page.nodes.length ? auditCursor(page.nodes.at(-1)!.seq) : null);
      if (!page.pageInfo.hasNextPage) return { nodes, pages };
      after = page.pageInfo.endCursor;
    }
  }

  it("pages through a record's events newest first without overlap or loss", async () => {
    const { nodes, pages } = await all((after) => log.listByRecord("KENT:identity:A", { first: 7, after }));
    expect(pages).toBe(4);
    expect(nodes).toHaveLength(25);
    const seqs = nodes.map((e) => BigInt(e.seq));
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]! < seqs[i - 1]!).toBe(true);
    expect(nodes[0]).toMatchObject({
      sub: "alice",
      org: "KENT",
      roles: ["ANALYST"],
      action: "CONSULTATION",
      operation: "search",
      recipientOrg: null,
      detail: { selector: "darkangel99@snapchat", hits: 2 },
      records: [
        { id: "KENT:identity:A", kind: "identity", level: "FULL", reason: "own-force" },
        { id: "KENT:forum:24", kind: "forum", level: "NONE", reason: "covert" },
      ],
    });
    expect(nodes[0]!.at).toBeInstanceOf(Date);
    expect(nodes[0]!.hash).toMatch(/^[0-9a-f]{64}$/);

    const forum = await log.listByRecord("KENT:forum:3", { first: 100 });
    expect(forum.nodes.map((e) => e.records[1]!.id)).toEqual(["KENT:forum:3"]);
    expect(forum.pageInfo).toEqual({ endCursor: auditCursor(forum.nodes[0]!.seq), hasNextPage: false });
  });

  it("lists by principal and by org", async () => {
    const bob = await all((after) => log.listByPrincipal("bob", { first: 4, after }));
    expect(bob.nodes).toHaveLength(9);
    expect(new Set(bob.nodes.map((e) => e.seq)).size).toBe(9);
    expect(bob.nodes.every((e) => e.sub === "bob" && e.recipientOrg === "ESSEX")).toBe(true);

    const essex = await log.listByOrg("ESSEX", { first: 100 });
    expect(essex.nodes.map((e) => e.seq)).toEqual(bob.nodes.map((e) => e.seq));
    expect(essex.pageInfo.hasNextPage).toBe(false);

    expect(await log.listByOrg("NOWHERE", { first: 10 })).toEqual({ nodes: [], pageInfo: { endCursor: null, hasNextPage: false } });
    expect(await log.listByOrg("KENT", { first: 10, after: auditCursor("1") })).toEqual({
      nodes: [],
      pageInfo: { endCursor: null, hasNextPage: false },
    });
  });

  it("honours from (inclusive) and to (exclusive)", async () => {
    const phase = async () => {
      for (let i = 0; i < 4; i++) await log.record(event({ principal: { sub: "carol", org: "NORFOLK", roles: [] } }));
      await sleep(25);
    };
    await phase();
    await phase();
    await phase();
    const everything = (await log.listByOrg("NORFOLK", { first: 100 })).nodes.reverse();
    expect(everything).toHaveLength(12);
    const middle = everything.slice(4, 8);
    const from = middle[0]!.at;
    const lastAt = middle[3]!.at;

    const window = await all((after) => log.listByOrg("NORFOLK", { first: 3, after, from, to: new Date(lastAt.getTime() + 1) }));
    expect(window.nodes.map((e) => e.seq)).toEqual(middle.map((e) => e.seq).reverse());

    const exclusive = await log.listByPrincipal("carol", { first: 100, from, to: lastAt });
    expect(exclusive.nodes.map((e) => e.seq)).toEqual(
      middle
        .filter((e) => e.at.getTime() < lastAt.getTime())
        .map((e) => e.seq)
        .reverse(),
    );

    const since = await log.listByPrincipal("carol", { first: 100, from: everything[8]!.at });
    expect(since.nodes.map((e) => e.seq)).toEqual(
      everything
        .slice(8)
        .map((e) => e.seq)
        .reverse(),
    );
    const until = await log.listByPrincipal("carol", { first: 100, to: from });
    expect(until.nodes.map((e) => e.seq)).toEqual(
      everything
        .slice(0, 4)
        .map((e) => e.seq)
        .reverse(),
    );
  });

  it("rejects bad cursors, page sizes and time filters with a RangeError", async () => {
    const forged = (text: string) => Buffer.from(text).toString("base64url");
    for (const after of [
      "",
      "1",
      "40",
      "abc",
      ...["audit:0", "audit:-1", "audit:01", "audit:1.5", "audit: 1", "audit:1e3", "audit:9223372036854775808", "seq:5"].map(forged),
      `${auditCursor("5")}=`,
      5,
    ]) {
      await expect(log.listByRecord("KENT:identity:A", { first: 10, after: after as string })).rejects.toThrow(/after must be a cursor returned as endCursor/);
    }
    for (const first of [0, -1, 101, 1.5, Number.NaN, Number.POSITIVE_INFINITY, "10", undefined]) {
      await expect(log.listByOrg("KENT", { first: first as number })).rejects.toThrow(/first must be a whole number from 1 to 100/);
    }
    await expect(log.listByOrg("KENT", { first: 10, from: new Date("not a date") })).rejects.toThrow(RangeError);
    await expect(log.listByOrg("KENT", { first: 10, to: "2024-01-01" as never })).rejects.toThrow(/to must be a valid Date/);
    await expect(log.listByOrg("KENT", { first: 10, from: new Date("2024-02-01"), to: new Date("2024-01-01") })).rejects.toThrow(
      /from must not be later than to/,
    );
    await expect(log.listByPrincipal("", { first: 10 })).rejects.toThrow(RangeError);
    expect((await log.listByRecord("KENT:identity:A", { first: 1, after: auditCursor("9223372036854775807") })).nodes).toHaveLength(1);
  });
});
