import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { deriveServiceSecret, ensureServiceSecret, keyedSelector, parseSelectorKeys, selectorKeysPath, signServiceRequest } from "@interforce/auth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, gql, identityInput, RECORD_IDENTITY, sql, startTestStack, tokenFor, type TestStack } from "@interforce/testkit";

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

const pointers = (recordId: string) =>
  sql<{ n: string }>(stack.databases.HUB!.ownerUrl, "SELECT count(*)::text AS n FROM selector_pointer WHERE record_id = $1", [recordId]).then((r) =>
    Number(r[0]!.n),
  );

describe("transactional outbox to the hub's selector index", () => {
  it("delivers a record written while the relay was down exactly once after a crash and restart", async () => {
    await stack.restart("kent", { OUTBOX_RELAY: "off" });
    const handle = `outbox_${Math.random().toString(36).slice(2, 8)}`;
    const res = await gql<{ kent: { recordOnlineIdentity: { id: string } } }>(stack.gatewayUrl, RECORD_IDENTITY("kent"), {
      token: tokenFor({ org: "KENT", roles: ["OFFICER"] }),
      variables: { input: identityInput({ handle }) },
    });
    expect(res.errors).toBeUndefined();
    const id = res.data!.kent.recordOnlineIdentity.id;

    // Record and event were committed together; nothing reached the hub yet.
    const pending = await sql(stack.databases.KENT!.ownerUrl, "SELECT event_id FROM outbox WHERE payload->>'recordId' = $1 AND published_at IS NULL", [id]);
    expect(pending).toHaveLength(1);
    expect(await pointers(id)).toBe(0);

    await stack.kill("kent");
    await stack.restart("kent");
    await eventually(async () => (await pointers(id)) === 1);

    const search = await gql<{ search: { hits: { identity: { id: string } }[] } }>(
      stack.gatewayUrl,
      `query($s: String!) { search(query: $s, platform: SNAPCHAT) { hits { identity { id } } } }`,
      { token: tokenFor({ org: "CEOP", roles: ["ANALYST"] }), variables: { s: handle } },
    );
    expect(search.data!.search.hits.map((h) => h.identity.id)).toEqual([id]);
    await eventually(
      async () =>
        (await sql(stack.databases.KENT!.ownerUrl, "SELECT 1 FROM outbox WHERE payload->>'recordId' = $1 AND published_at IS NOT NULL", [id])).length === 1,
    );
  });

  it("does not double an entry when the relay resends an event the hub already applied", async () => {
    const handle = `resend_${Math.random().toString(36).slice(2, 8)}`;
    const res = await gql<{ kent: { recordOnlineIdentity: { id: string } } }>(stack.gatewayUrl, RECORD_IDENTITY("kent"), {
      token: tokenFor({ org: "KENT", roles: ["OFFICER"] }),
      variables: { input: identityInput({ handle }) },
    });
    const id = res.data!.kent.recordOnlineIdentity.id;
    await eventually(async () => (await pointers(id)) === 1);
    const [event] = await sql<{ event_id: string }>(stack.databases.KENT!.ownerUrl, "SELECT event_id FROM outbox WHERE payload->>'recordId' = $1", [id]);

    // As if the relay crashed after the hub acknowledged but before marking the row sent.
    await sql(stack.databases.KENT!.ownerUrl, "UPDATE outbox SET published_at = NULL WHERE event_id = $1", [event!.event_id]);
    await eventually(
      async () =>
        (
          await sql(stack.databases.KENT!.ownerUrl, "SELECT 1 FROM outbox WHERE event_id = $1 AND published_at IS NOT NULL AND attempts >= 2", [
            event!.event_id,
          ])
        ).length === 1,
    );
    expect(await pointers(id)).toBe(1);
    const inbox = await sql(stack.databases.HUB!.ownerUrl, "SELECT 1 FROM index_inbox WHERE event_id = $1", [event!.event_id]);
    expect(inbox).toHaveLength(1);
  });

  it("refuses index calls that are unsigned, signed in another force's name, or about another force's records", async () => {
    const master = ensureServiceSecret(stack.home);
    const kentSecret = deriveServiceSecret(master, "KENT");
    const url = `${stack.hubUrl.replace("/graphql", "")}/internal/index`;
    const before = await sql<{ n: string }>(stack.databases.HUB!.ownerUrl, "SELECT count(*)::text AS n FROM selector_pointer");
    const event = {
      op: "upsert",
      eventId: randomUUID(),
      org: "NORFOLK",
      kind: "identity",
      recordId: `NORFOLK:identity:${randomUUID()}`,
      selectors: [{ selector: "forged@snapchat", handleKey: "forged" }],
      platform: "SNAPCHAT",
      classification: "OFFICIAL",
      handling: "P",
      handlingOrgs: [],
      covert: false,
      reviewDue: null,
    };
    const post = (headers: Record<string, string>, body: string) =>
      fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
    const body = JSON.stringify({ events: [event] });

    const refusals = async () =>
      (
        await sql<{ denied: string; org: string }>(
          stack.databases.HUB!.ownerUrl,
          "SELECT detail->>'denied' AS denied, org FROM audit_event WHERE operation = 'refused internal call' ORDER BY seq",
        )
      ).map((r) => `${r.org}: ${r.denied}`);
    const refusedBefore = (await refusals()).length;
    expect((await post({}, body)).status).toBe(403);
    // KENT's secret cannot sign as NORFOLK.
    const asNorfolk = signServiceRequest({ secret: kentSecret, caller: "NORFOLK", target: "HUB", method: "POST", path: "/internal/index", body });
    expect((await post(asNorfolk, body)).status).toBe(403);
    // Both refusals are in the hub's audit trail, the forged one under the name it claimed.
    const refused = (await refusals()).slice(refusedBefore);
    expect(refused).toHaveLength(2);
    expect(refused[0]).toMatch(/^UNKNOWN: /);
    expect(refused[1]).toMatch(/^NORFOLK: /);
    // KENT signing as itself still cannot publish a NORFOLK pointer.
    const asKent = signServiceRequest({ secret: kentSecret, caller: "KENT", target: "HUB", method: "POST", path: "/internal/index", body });
    expect((await post(asKent, body)).status).toBe(400);

    const after = await sql<{ n: string }>(stack.databases.HUB!.ownerUrl, "SELECT count(*)::text AS n FROM selector_pointer");
    expect(after[0]!.n).toBe(before[0]!.n);
  });
  it("tells both holders when two forces index the same selector at the same moment", async () => {
    const master = ensureServiceSecret(stack.home);
    const url = `${stack.hubUrl.replace("/graphql", "")}/internal/index`;
    const publish = (org: string, selector: string) => {
      const recordId = `${org}:identity:${randomUUID()}`;
      const event = {
        type: "selector.upsert",
        eventId: randomUUID(),
        org,
        kind: "identity",
        recordId,
        selectors: [{ selector, handleKey: selector.split("@")[0] }],
        platform: "SNAPCHAT",
        classification: "OFFICIAL",
        handling: "P",
        handlingOrgs: [],
        covert: false,
        reviewDue: null,
      };
      const body = JSON.stringify({ events: [event] });
      const headers = signServiceRequest({
        secret: deriveServiceSecret(master, org),
        caller: org,
        target: "HUB",
        method: "POST",
        path: "/internal/index",
        body,
      });
      return fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body }).then((r) => {
        expect(r.status).toBe(200);
        return recordId;
      });
    };
    const run = Math.random().toString(36).slice(2, 8);
    const selectors = Array.from({ length: 40 }, (_, i) => `race_${run}_${i}@snapchat`);
    // Each pair reaches the hub together; neither transaction may miss the other's pointer.
    await Promise.all(selectors.map((s) => Promise.all([publish("KENT", s), publish("NORFOLK", s)])));
    // The hub keeps selectors keyed: look each up by its keyed form.
    const key = parseSelectorKeys(readFileSync(selectorKeysPath(stack.home), "utf8")).current;
    const plainOf = new Map(selectors.map((s) => [keyedSelector(key, s), s]));
    const alerted = await sql<{ selector: string }>(
      stack.databases.HUB!.ownerUrl,
      "SELECT DISTINCT selector FROM deconfliction_alert WHERE trigger = 'RECORD' AND selector = ANY($1)",
      [[...plainOf.keys()]],
    );
    expect(alerted.map((r) => plainOf.get(r.selector)).sort()).toEqual([...selectors].sort());
  });
});
