import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { keyedHandleWords, parseSelectorKeys, selectorKeysPath } from "@interforce/auth";
import { emailSelector, handleSelector, loadRegistry, normaliseEmail, normaliseHandle, normalisePhone, phoneSelector } from "@interforce/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, gql, identityInput, markings, RECORD_IDENTITY, sql, startTestStack, tokenFor, type TestStack } from "@interforce/testkit";

/**
 * A thief who takes the hub's database, but not its selector keys, must learn no selector from it: no handle, email or
 * phone number in plain text, normalised, or hashed as the forces hash them (without a key) — not in a table, an
 * index, the audit or an alert.
 */
let stack: TestStack;
const tag = Math.random().toString(36).slice(2, 8);
const extra = {
  handle: `Night_Owl.${tag}`,
  email: `owl.${tag}@example.net`,
  phone: `07700 9${tag.replace(/\D/g, "").padEnd(5, "1").slice(0, 5)}`,
};

beforeAll(async () => {
  stack = await startTestStack({ seedScale: 1 });
  const officer = tokenFor({ org: "KENT", roles: ["OFFICER"], clearance: "SECRET", covert: true });
  for (const covert of [false, true]) {
    const res = await gql(stack.gatewayUrl, RECORD_IDENTITY("kent"), {
      token: officer,
      variables: {
        input: identityInput({
          handle: covert ? `${extra.handle}_decoy` : extra.handle,
          emails: [extra.email],
          phones: [extra.phone],
          ...(covert ? { status: "DECOY", markings: markings({ covert: true }) } : {}),
        }),
      },
    });
    expect(res.errors).toBeUndefined();
  }
  // Every identity of every force is in the index before the database is "stolen".
  const forces = loadRegistry().orgs.map((o) => o.code);
  await eventually(async () => {
    let total = 0;
    for (const org of forces)
      total += Number((await sql<{ n: string }>(stack.databases[org]!.ownerUrl, "SELECT count(*)::text AS n FROM online_identity"))[0]!.n);
    const indexed = Number(
      (await sql<{ n: string }>(stack.databases.HUB!.ownerUrl, "SELECT count(DISTINCT record_id)::text AS n FROM selector_pointer"))[0]!.n,
    );
    return indexed === total && total > 0;
  }, 30_000);
  // A search and an alert put the searched selector in the audit and the alerts, if anything does.
  const search = await gql(stack.gatewayUrl, `query($q: String!) { search(query: $q, fuzzy: true) { hits { recordId } } }`, {
    token: tokenFor({ org: "NORFOLK", roles: ["ANALYST"] }),
    variables: { q: extra.handle },
  });
  expect(search.errors).toBeUndefined();
}, 240_000);

afterAll(async () => {
  await stack?.stop();
});

/** Every selector the forces hold, in every form a thief could look for. */
async function seededForms(): Promise<string[]> {
  const forms = new Set<string>();
  for (const org of loadRegistry().orgs.map((o) => o.code)) {
    const rows = await sql<{ handle: string; platform: string; email_hashes: string[]; phone_hashes: string[] }>(
      stack.databases[org]!.ownerUrl,
      "SELECT handle, platform, email_hashes, phone_hashes FROM online_identity",
    );
    for (const r of rows) {
      const key = normaliseHandle(r.handle);
      // Short strings turn up by chance in keyed (base64) values; eight characters do not.
      if (key.length >= 8) forms.add(key);
      if (r.handle.length >= 8) forms.add(r.handle);
      forms.add(handleSelector(r.handle, r.platform));
      for (const h of [...r.email_hashes, ...r.phone_hashes]) forms.add(h).add(h.split(":")[1]!);
    }
  }
  for (const f of [
    extra.email,
    normaliseEmail(extra.email)!,
    emailSelector(extra.email)!,
    normalisePhone(extra.phone)!,
    phoneSelector(extra.phone)!,
    normaliseHandle(extra.handle),
  ]) {
    forms.add(f);
  }
  return [...forms];
}

describe("a stolen copy of the hub's database", () => {
  it("holds no selector of the seed: not plain, normalised, or hashed without the key, in any table", async () => {
    const tables = await sql<{ t: string }>(stack.databases.HUB!.ownerUrl, "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
    expect(tables.map((t) => t.t)).toEqual(expect.arrayContaining(["selector_pointer", "deconfliction_alert", "audit_event"]));
    let dump = "";
    for (const { t } of tables) {
      const rows = await sql<{ j: string }>(stack.databases.HUB!.ownerUrl, `SELECT row_to_json(x)::text AS j FROM "${t}" x`);
      dump += rows.map((r) => r.j).join("\n");
    }
    const forms = await seededForms();
    expect(forms.length).toBeGreaterThan(40);
    // The dump is not empty: the index, the alerts and the audit are all there, keyed.
    expect(Number((await sql<{ n: string }>(stack.databases.HUB!.ownerUrl, "SELECT count(*)::text AS n FROM deconfliction_alert"))[0]!.n)).toBeGreaterThan(0);
    expect(forms.filter((f) => dump.includes(f))).toEqual([]);
  });

  it("holds none of them in the database's files either (tables, indexes, free space)", async () => {
    await sql(stack.databases.HUB!.ownerUrl, "CHECKPOINT").catch(() => undefined);
    const [{ oid }] = (await sql<{ oid: string }>(stack.databases.HUB!.ownerUrl, "SELECT oid::text FROM pg_database WHERE datname = current_database()")) as [
      { oid: string },
    ];
    const dir = join(stack.home, "pg", "base", oid);
    const files = readdirSync(dir).filter((f) => statSync(join(dir, f)).isFile());
    expect(files.length).toBeGreaterThan(10);
    const forms = (await seededForms()).map((f) => Buffer.from(f));
    const found = new Set<string>();
    for (const f of files) {
      const bytes = readFileSync(join(dir, f));
      for (const form of forms) if (bytes.includes(form)) found.add(form.toString());
    }
    expect([...found]).toEqual([]);
  });

  it("still finds, by keyed trigrams, every handle plain pg_trgm finds at the same threshold", async () => {
    // A generated set with known near-duplicates: each base handle and three variants of it.
    const rand = (n: number) => Array.from({ length: n }, () => "abcdefghijklmnopqrstuvwxyz0123456789"[Math.floor(Math.random() * 36)]).join("");
    const bases = Array.from({ length: 250 }, () => rand(6 + Math.floor(Math.random() * 8)));
    const variant = (h: string, i: number) => (i === 0 ? `${h}${rand(2)}` : i === 1 ? h.slice(0, -1) : `${h.slice(0, 3)}${rand(1)}${h.slice(4)}`);
    const handles = bases.flatMap((b) => [b, variant(b, 0), variant(b, 1), variant(b, 2)]);
    const ring = parseSelectorKeys(readFileSync(selectorKeysPath(stack.home), "utf8"));
    const key = ring.current;
    const hub = stack.databases.HUB!.ownerUrl;
    await sql(hub, "CREATE TABLE recall_probe (handle text, words text)");
    await sql(hub, "INSERT INTO recall_probe SELECT * FROM unnest($1::text[], $2::text[])", [handles, handles.map((h) => keyedHandleWords(key, h))]);
    const queries = bases.slice(0, 100).map((b, i) => variant(b, i % 3));
    let expected = 0;
    let found = 0;
    let extraHits = 0;
    for (const q of queries) {
      const plain = await sql<{ handle: string }>(hub, "SELECT handle FROM recall_probe WHERE similarity(handle, $1) >= 0.35", [q]);
      const keyed = await sql<{ handle: string }>(hub, "SELECT handle FROM recall_probe WHERE similarity(words, $1) >= 0.35", [keyedHandleWords(key, q)]);
      const want = new Set(plain.map((r) => r.handle));
      const got = new Set(keyed.map((r) => r.handle));
      expected += want.size;
      found += [...want].filter((h) => got.has(h)).length;
      extraHits += [...got].filter((h) => !want.has(h)).length;
    }
    await sql(hub, "DROP TABLE recall_probe");
    console.log(
      `keyed fuzzy recall ${found}/${expected} against plain pg_trgm at 0.35 over ${queries.length} queries, ${extraHits} hits plain pg_trgm does not give`,
    );
    expect(expected).toBeGreaterThan(queries.length);
    expect(found / expected).toBeGreaterThanOrEqual(0.95);
    expect(extraHits).toBe(0);
  });
});
