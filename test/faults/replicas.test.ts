/**
 * Two replicas behave as one: nonces, rate-limit counters and refusal-audit budgets live in
 * the shared store (each service's PostgreSQL), not in a process. A gateway-signed call
 * accepted by one KENT replica is refused when replayed to another; a principal's limit holds
 * across two gateway replicas; the anonymous refusals audited one by one are capped across
 * KENT's replicas, not once per replica.
 */
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GATEWAY_SIGNATURE_HEADER } from "@interforce/auth";
import { gatewaySignature, gql, sql, tokenFor, startTestStack, type TestStack } from "@interforce/testkit";
import { auditFor, codes, expectNoDisclosure, recordIdentity, type Seeded } from "../security/support.js";

let stack: TestStack;
let kentB: string;
let gatewayB: string;
let record: Seeded;

const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on KentOnlineIdentity { id handle } } }`;
const kentAnalyst = () => tokenFor({ org: "KENT", roles: ["ANALYST"], clearance: "SECRET", sub: "analyst@kent" });
const LIMIT = 6;

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });

beforeAll(async () => {
  stack = await startTestStack();
  record = await recordIdentity(stack, "KENT");
  kentB = `${(await stack.replica("kent", await freePort())).url}/graphql`;
  // Both gateway replicas with a small per-principal limit, from one shared budget.
  const limits = { RATE_LIMIT_PER_MINUTE: String(LIMIT) };
  await stack.restart("gateway", limits);
  gatewayB = `${(await stack.replica("gateway", await freePort(), limits)).url}/graphql`;
});

afterAll(async () => {
  await stack?.stop();
});

/** A call as the gateway would make it to KENT, signed once. */
function signedCall(requestId: string) {
  const body = JSON.stringify({ query: ENTITIES, variables: { r: [{ __typename: "KentOnlineIdentity", id: record.id }] } });
  const headers: Record<string, string> = {
    "content-type": "application/json",
    authorization: `Bearer ${kentAnalyst()}`,
    "x-purpose": "op 11/7",
    "x-request-id": requestId,
  };
  const signature = gatewaySignature("kent", { url: stack.forceUrls.KENT!, headers, body });
  return (url: string) =>
    gql(url, "", { rawBody: body, purpose: headers["x-purpose"], requestId, headers: { ...headers, [GATEWAY_SIGNATURE_HEADER]: signature } });
}

describe("two replicas of a force", () => {
  it("each answer a call signed for it", async () => {
    for (const url of [stack.forceUrls.KENT!, kentB]) {
      const res = await signedCall(`t-${randomBytes(6).toString("hex")}`)(url);
      expect(res.status).toBe(200);
      expect(res.raw).toContain(record.handle);
    }
  });

  it("refuse a call accepted by one when it is replayed to the other, in either direction", async () => {
    for (const [first, second] of [
      [stack.forceUrls.KENT!, kentB],
      [kentB, stack.forceUrls.KENT!],
    ] as const) {
      const requestId = `t-${randomBytes(6).toString("hex")}`;
      const send = signedCall(requestId);
      const accepted = await send(first);
      expect(accepted.status).toBe(200);
      const replay = await send(second);
      expect(replay.status).toBe(403);
      expect(codes(replay)).toEqual(["FORBIDDEN"]);
      expectNoDisclosure(replay, [record.handle]);
      const events = await auditFor(stack.databases.KENT!.ownerUrl, requestId);
      expect(events.filter((e) => e.operation === "refused direct call").map((e) => e.detail.denied)).toEqual(["replayed gateway signature"]);
    }
  });

  it("audit anonymous refusals one by one up to one budget shared by both, the rest only counted", async () => {
    const refused = async (url: string) => {
      const res = await gql(url, `{ _service { sdl } }`, { requestId: `flood-${randomBytes(6).toString("hex")}` });
      expect(res.status).toBe(403);
    };
    const audited = async () =>
      Number(
        (
          await sql<{ n: string }>(
            stack.databases.KENT!.ownerUrl,
            "SELECT count(*)::text AS n FROM audit_event WHERE operation = 'refused direct call' AND sub = 'unauthenticated'",
          )
        )[0]!.n,
      );
    const before = await audited();
    // The budget is 120 a minute per force: spent at replica A, then B audits none.
    for (let i = 0; i < 120 - before; i++) await refused(stack.forceUrls.KENT!);
    expect(await audited()).toBe(120);
    for (let i = 0; i < 10; i++) await refused(kentB);
    expect(await audited()).toBe(120);
  });
});

describe("two replicas of the gateway", () => {
  it("hold a principal to one limit across both", async () => {
    const token = tokenFor({ org: "KENT", roles: ["OFFICER"], sub: `busy-${randomBytes(4).toString("hex")}@kent` });
    const statuses: number[] = [];
    // Alternating replicas: each sees only half the calls, so per-replica counters would admit all of them.
    for (let i = 0; i < LIMIT + 2; i++) statuses.push((await gql(i % 2 === 0 ? stack.gatewayUrl : gatewayB, `{ orgs { code } }`, { token })).status);
    expect(statuses).toEqual([...Array(LIMIT).fill(200), 429, 429]);
    // Another principal still has its own budget on either replica.
    const other = tokenFor({ org: "KENT", roles: ["OFFICER"], sub: `calm-${randomBytes(4).toString("hex")}@kent` });
    expect((await gql(gatewayB, `{ orgs { code } }`, { token: other })).status).toBe(200);
    expect((await gql(stack.gatewayUrl, `{ orgs { code } }`, { token: other })).status).toBe(200);
  });
});
