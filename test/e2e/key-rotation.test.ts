import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { selectorKeysPath } from "@interforce/auth";
import { normaliseHandle, REPO_ROOT } from "@interforce/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, gql, identityInput, RECORD_IDENTITY, sql, startTestStack, tokenFor, type TestStack } from "@interforce/testkit";

const run = promisify(execFile);
let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
}, 180_000);
afterAll(async () => {
  await stack?.stop();
});

const SEARCH = `query($q: String!, $fuzzy: Boolean!) { search(query: $q, fuzzy: $fuzzy) { hits { recordId match } } }`;
const kentAnalyst = () => tokenFor({ org: "KENT", roles: ["ANALYST"] });
const found = async (q: string, fuzzy: boolean) =>
  (
    await gql<{ search: { hits: { recordId: string; match: string }[] } }>(stack.gatewayUrl, SEARCH, { token: kentAnalyst(), variables: { q, fuzzy } })
  ).data!.search.hits.map((h) => h.recordId);
const keyIds = async (recordIds: string[]) =>
  (
    await sql<{ key_id: string }>(stack.databases.HUB!.ownerUrl, "SELECT DISTINCT key_id FROM selector_pointer WHERE record_id = ANY($1) ORDER BY 1", [
      recordIds,
    ])
  ).map((r) => r.key_id);

describe("rotating the hub's selector key", () => {
  it("keeps every record findable while forces republish under the new key, and after the old key is dropped", async () => {
    const tag = Math.random().toString(36).slice(2, 8);
    const ids: string[] = [];
    for (const [org, handle] of [
      ["KENT", `rotor_${tag}`],
      ["NORFOLK", `r0tor.${tag}`],
    ] as const) {
      const res = await gql<Record<string, { recordOnlineIdentity: { id: string } }>>(stack.gatewayUrl, RECORD_IDENTITY(org.toLowerCase()), {
        token: tokenFor({ org, roles: ["OFFICER"] }),
        variables: { input: identityInput({ handle }) },
      });
      expect(res.errors).toBeUndefined();
      ids.push(res.data![org.toLowerCase()]!.recordOnlineIdentity.id);
    }
    await eventually(async () => (await keyIds(ids)).length === 1);
    const [oldKey] = await keyIds(ids);
    // KENT and NORFOLK hold the same handle: an alert, keyed and sealed under the old key.
    const alertsOf = async () =>
      (
        await gql<{ deconflictionAlerts: { nodes: { selector: string; trigger: string }[] } }>(
          stack.gatewayUrl,
          `{ deconflictionAlerts(first: 100) { nodes { selector trigger } } }`,
          {
            token: kentAnalyst(),
          },
        )
      ).data!.deconflictionAlerts.nodes.filter((a) => a.selector === `${normaliseHandle(`rotor_${tag}`)}@snapchat`);
    await eventually(async () => (await alertsOf()).length > 0);

    const old = readFileSync(selectorKeysPath(stack.home), "utf8").trim();
    const next = `k${Date.now() % 1000}n:${randomBytes(32).toString("hex")}`;
    const newId = next.split(":")[0]!;
    await stack.restart("hub", { SELECTOR_KEYS: `${next},${old}` });
    // Under the new ring the old pointers are still found, exact and fuzzy.
    expect((await found(`rotor ${tag}`, false)).sort()).toEqual([...ids].sort());
    expect(await found(`rotorx${tag}`, true)).toEqual(expect.arrayContaining(ids));

    // Each force republishes; the hub keys every pointer under the new key and drops the old rows.
    for (const org of ["KENT", "NORFOLK"]) {
      const out = await run(process.execPath, ["--import", "tsx", "infra/index/republish.ts", "--org", org], {
        cwd: REPO_ROOT,
        env: { ...process.env, [`DATABASE_URL_${org}`]: stack.databases[org]!.appUrl },
      });
      expect(out.stdout).toMatch(new RegExp(`${org}: \\d+ identities queued for the hub's index`));
    }
    await eventually(async () => (await keyIds(ids)).join() === newId, 30_000);
    expect(oldKey).not.toBe(newId);

    await stack.restart("hub", { SELECTOR_KEYS: next });
    expect((await found(`rotor ${tag}`, false)).sort()).toEqual([...ids].sort());
    expect(await found(`rotorx${tag}`, true)).toEqual(expect.arrayContaining(ids));
    // The alert was keyed again at the hub's start while both keys were in the ring: still readable with the old key gone.
    expect((await alertsOf()).length).toBeGreaterThan(0);
  });

  it("refuses to start the hub on a malformed key ring, and says why", async () => {
    await expect(stack.restart("hub", { SELECTOR_KEYS: "k1:not-hex" })).rejects.toThrow(/SELECTOR_KEYS.*32 hex-encoded bytes/s);
    await stack.restart("hub");
    expect((await gql(stack.gatewayUrl, `{ orgs { code } }`, { token: kentAnalyst() })).errors).toBeUndefined();
  });
});
