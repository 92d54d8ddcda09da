// TEMPORARY (contracts helper): checks in-flight legacy outbox rows and legacy hub posts. Deleted after the run.
import { randomUUID } from "node:crypto";
import { deriveServiceSecret, ensureServiceSecret, signServiceRequest } from "@interforce/auth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, sql, startTestStack, type TestStack } from "@interforce/testkit";

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});
const pointers = (recordId: string) =>
  sql<{ n: string }>(stack.databases.HUB!.ownerUrl, "SELECT count(*)::text AS n FROM selector_pointer WHERE record_id = $1", [recordId]).then((r) => Number(r[0]!.n));
const legacy = (recordId: string, eventId = randomUUID()) => ({
  op: "upsert",
  eventId,
  org: "KENT",
  kind: "identity",
  recordId,
  selectors: [{ selector: `legacy_${eventId.slice(0, 8)}@snapchat`, handleKey: `legacy${eventId.slice(0, 8)}` }],
  platform: "SNAPCHAT",
  classification: "OFFICIAL",
  handling: "P",
  handlingOrgs: [],
  covert: false,
  reviewDue: null,
});

describe("legacy", () => {
  it("relays an old-format row already in the outbox, and skips a malformed one without blocking the rest", async () => {
    const id = `KENT:identity:${randomUUID()}`;
    const e = legacy(id);
    const bad = randomUUID();
    await sql(stack.databases.KENT!.ownerUrl, "INSERT INTO outbox (event_id, topic, payload) VALUES ($1, 'selector.upsert', $2), ($3, 'bogus', $4)", [
      bad,
      JSON.stringify({ op: "bogus", eventId: bad, org: "KENT" }),
      e.eventId,
      JSON.stringify(e),
    ]);
    await eventually(async () => (await pointers(id)) === 1, 20_000);
    const rows = await sql<{ event_id: string; published: boolean; attempts: number }>(
      stack.databases.KENT!.ownerUrl,
      "SELECT event_id, published_at IS NOT NULL AS published, attempts FROM outbox WHERE event_id = ANY($1)",
      [[bad, e.eventId]],
    );
    const byId = Object.fromEntries(rows.map((r) => [r.event_id, r]));
    expect(byId[e.eventId]!.published).toBe(true);
    expect(byId[bad]!.published).toBe(false);
    expect(byId[bad]!.attempts).toBeGreaterThan(0);
    const kent = stack.services.get("kent")!.lines.join("\n");
    expect(kent).toContain("outbox relay: event does not match the contract, not sent");
    await sql(stack.databases.KENT!.ownerUrl, "DELETE FROM outbox WHERE event_id = $1", [bad]).catch(() => undefined);
  });

  it("accepts a legacy event posted by a force not yet upgraded, and rejects a malformed one with a log line", async () => {
    const secret = deriveServiceSecret(ensureServiceSecret(stack.home), "KENT");
    const url = `${stack.hubUrl.replace("/graphql", "")}/internal/index`;
    const id = `KENT:identity:${randomUUID()}`;
    const post = async (events: unknown[]) => {
      const body = JSON.stringify({ events });
      const headers = signServiceRequest({ secret, caller: "KENT", target: "HUB", method: "POST", path: "/internal/index", body }) as unknown as Record<string, string>;
      const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
      return { status: res.status, body: await res.text() };
    };
    const ok = await post([legacy(id)]);
    expect(ok.status, ok.body).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({ applied: 1, duplicates: 0 });
    expect(await pointers(id)).toBe(1);
    const id2 = `KENT:identity:${randomUUID()}`;
    const bad = await post([legacy(id2), { ...legacy(id2), type: "selector.upsert", covert: "no" }]);
    expect(bad.status).toBe(400);
    console.log("hub answer:", bad.body);
    expect(await pointers(id2)).toBe(0);
    await eventually(async () => stack.services.get("hub")!.lines.some((l) => l.includes("index batch rejected")), 5000);
    console.log(stack.services.get("hub")!.lines.filter((l) => l.includes("index batch rejected")).join("\n"));
  });
});
