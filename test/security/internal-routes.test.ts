/**
 * Service-to-service routes outside the supergraph: the force's /internal/hub-query (the
 * hub asking on behalf of a principal) and the hub's /internal/policy and /internal/index
 * (the forces' policy refresh and outbox relay). Each call must be signed for its one
 * route and target, once; a refused call to a force discloses nothing and is audited there.
 */
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deriveServiceSecret, ensureServiceSecret, loadSigningKey, signServiceRequest } from "@interforce/auth";
import { accessClaims, expiredToken, gql, rawToken, startTestStack, tokenFor, type GqlResult, type TestStack } from "@interforce/testkit";
import { auditFor, expectNoDisclosure, indexed, recordIdentity, type Seeded } from "./support.js";

let stack: TestStack;
let seeded: Seeded;

const HUB_QUERY = "/internal/hub-query";
const kentOwner = () => tokenFor({ org: "KENT", roles: ["OFFICER", "FORCE_ADMIN"], clearance: "SECRET", covert: true, sub: "owner@kent" });
const origin = (graphqlUrl: string) => graphqlUrl.replace(/\/graphql$/, "");
const kentOrigin = () => origin(stack.forceUrls.KENT!);
const hubOrigin = () => origin(stack.hubUrl);
/** A force's service secret, derived from the stack's master secret as the launcher does. */
const secretOf = (org: string) => deriveServiceSecret(ensureServiceSecret(stack.home), org);

interface Sent {
  status: number;
  raw: string;
  requestId: string;
}

/** The body the hub's ForceClient sends: a principal's token, purpose and request id, and the question. */
function question(over: Record<string, unknown> = {}): string {
  return JSON.stringify({
    op: "identities",
    token: kentOwner(),
    purpose: "test: investigation 24/1234",
    requestId: randomUUID(),
    args: { first: 100 },
    ...over,
  });
}

/** Signs as the hub signs a call to KENT's /internal/hub-query, unless told otherwise. */
function hubSigned(body: string, over: Partial<Parameters<typeof signServiceRequest>[0]> = {}) {
  return signServiceRequest({ secret: secretOf("KENT"), caller: "HUB", target: "KENT", method: "POST", path: HUB_QUERY, body, ...over }) as unknown as Record<
    string,
    string
  >;
}

async function send(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string; requestId?: string } = {}): Promise<Sent> {
  const requestId = opts.requestId ?? randomUUID();
  const method = opts.method ?? "POST";
  const res = await fetch(url, {
    method,
    headers: { "content-type": "application/json", "x-request-id": requestId, ...opts.headers },
    body: method === "GET" ? undefined : opts.body,
  });
  return { status: res.status, raw: await res.text(), requestId };
}

const toKent = (body: string, headers: Record<string, string>, requestId?: string) => send(`${kentOrigin()}${HUB_QUERY}`, { body, headers, requestId });

function expectNothingDisclosed(res: Sent): void {
  expectNoDisclosure({ ...res } as GqlResult, [seeded.id, seeded.handle, seeded.notes, seeded.id.split(":").pop()!]);
  expect(res.raw).not.toMatch(/"nodes"|"links"|"visible"/);
}

/** The one audit row of a refused call at KENT, written under the call's x-request-id. */
async function expectRefusalAudited(res: Sent, expected: { sub: string; org: string; denied: string }) {
  const events = await auditFor(stack.databases.KENT!.ownerUrl, res.requestId);
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject({ operation: "refused internal call", action: "CONSULTATION", sub: expected.sub, org: expected.org });
  expect(events[0]!.detail).toMatchObject({ denied: expected.denied });
  return events[0]!;
}

beforeAll(async () => {
  stack = await startTestStack();
  seeded = await recordIdentity(stack, "KENT");
});

afterAll(async () => {
  await stack?.stop();
});

describe("the force's /internal/hub-query", () => {
  it("answers a call the hub signed for it, once", async () => {
    const body = question();
    const res = await toKent(body, hubSigned(body));
    expect(res.status, res.raw).toBe(200);
    expect((JSON.parse(res.raw) as { nodes: { id: string }[] }).nodes.map((n) => n.id)).toContain(seeded.id);
  });

  it("refuses an unsigned call, discloses nothing and audits it against the token's principal", async () => {
    const res = await toKent(question(), {});
    expect(res.status).toBe(403);
    expect(JSON.parse(res.raw)).toEqual({ error: "FORBIDDEN" });
    expectNothingDisclosed(res);
    const event = await expectRefusalAudited(res, { sub: "owner@kent", org: "KENT", denied: "missing service signature" });
    expect(event.detail).toMatchObject({ method: "POST", op: "identities" });
  });

  it("refuses an unsigned call without a usable token as unauthenticated", async () => {
    const res = await toKent(question({ token: "not-a-token-at-all" }), {});
    expect(res.status).toBe(403);
    expectNothingDisclosed(res);
    await expectRefusalAudited(res, { sub: "unauthenticated", org: "UNKNOWN", denied: "missing service signature" });
  });

  it("refuses a signature made with another force's service secret", async () => {
    const body = question();
    for (const caller of ["HUB", "ESSEX"]) {
      const res = await toKent(body, hubSigned(body, { secret: secretOf("ESSEX"), caller }));
      expect(res.status).toBe(403);
      expectNothingDisclosed(res);
      await expectRefusalAudited(res, { sub: "owner@kent", org: "KENT", denied: "invalid service signature" });
    }
  });

  it("refuses a valid signed call replayed, and audits the replay", async () => {
    const body = question();
    const headers = hubSigned(body);
    const first = await toKent(body, headers);
    expect(first.status, first.raw).toBe(200);
    expect(first.raw).toContain(seeded.id);
    // The same bytes again; only the unsigned x-request-id differs, to find the audit row.
    const replay = await toKent(body, headers);
    expect(replay.status).toBe(403);
    expectNothingDisclosed(replay);
    await expectRefusalAudited(replay, { sub: "owner@kent", org: "KENT", denied: "replayed service signature" });
  });

  it("refuses a signed call whose body was changed", async () => {
    const body = question();
    const headers = hubSigned(body);
    const changed = JSON.stringify({ ...(JSON.parse(body) as Record<string, unknown>), args: { first: 100, platform: "SNAPCHAT" } });
    const res = await toKent(changed, headers);
    expect(res.status).toBe(403);
    expectNothingDisclosed(res);
    await expectRefusalAudited(res, { sub: "owner@kent", org: "KENT", denied: "invalid service signature" });
  });

  it("refuses a call signed for another path, another target or another method, or sent with a query string", async () => {
    const body = question();
    const attempts: [string, Record<string, string>, string][] = [
      ["signed for the hub's index route", hubSigned(body, { path: "/internal/index" }), HUB_QUERY],
      ["signed for the hub, not for KENT", hubSigned(body, { target: "HUB" }), HUB_QUERY],
      ["a KENT → hub call with KENT's own secret", hubSigned(body, { caller: "KENT", target: "HUB", path: "/internal/index" }), HUB_QUERY],
      ["signed as a GET", hubSigned(body, { method: "GET" }), HUB_QUERY],
      ["signed for the path, sent with a query string", hubSigned(body), `${HUB_QUERY}?op=visible`],
    ];
    for (const [what, headers, path] of attempts) {
      const res = await send(`${kentOrigin()}${path}`, { body, headers });
      expect(res.status, what).toBe(403);
      expectNothingDisclosed(res);
      await expectRefusalAudited(res, { sub: "owner@kent", org: "KENT", denied: "invalid service signature" });
    }
  });

  it("refuses a validly signed call carrying an expired or forged user token", async () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const forged = rawToken(
      accessClaims("KENT", { sub: "forger@kent" }),
      {},
      { kid: loadSigningKey().kid, privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString() },
    );
    for (const token of [expiredToken("KENT"), forged]) {
      const body = question({ token });
      const res = await toKent(body, hubSigned(body));
      expect(res.status).toBe(401);
      expect(JSON.parse(res.raw)).toEqual({ error: "UNAUTHENTICATED" });
      expectNothingDisclosed(res);
      const event = await expectRefusalAudited(res, { sub: "unauthenticated", org: "UNKNOWN", denied: "invalid token" });
      expect(JSON.stringify(event)).not.toContain(token);
    }
  });

  it("refuses a validly signed call without a purpose, and audits who asked", async () => {
    for (const purpose of [undefined, "", "   "]) {
      const body = question({ purpose });
      const res = await toKent(body, hubSigned(body));
      expect(res.status).toBe(400);
      expect(JSON.parse(res.raw)).toEqual({ error: "PURPOSE_REQUIRED" });
      expectNothingDisclosed(res);
      await expectRefusalAudited(res, { sub: "owner@kent", org: "KENT", denied: "purpose required" });
    }
  });

  it("refuses a signed body it cannot use, a NUL in the purpose included, and audits it", async () => {
    for (const body of [question({ purpose: "investigation\u0000 24/1" }), question({ op: "dump" }), "{not json"]) {
      const res = await toKent(body, hubSigned(body));
      expect(res.status).toBe(400);
      expect(JSON.parse(res.raw)).toEqual({ error: "BAD_REQUEST" });
      expectNothingDisclosed(res);
      const event = await expectRefusalAudited(res, {
        sub: body.startsWith("{not") ? "unauthenticated" : "owner@kent",
        org: body.startsWith("{not") ? "UNKNOWN" : "KENT",
        denied: "malformed body",
      });
      expect(JSON.stringify(event)).not.toContain("\\u0000");
    }
  });

  it("refuses a request id the HTTP layer would not accept, and never writes it to the audit log", async () => {
    for (const requestId of ["has space", "x".repeat(65), "line\nbreak", "'; DROP TABLE audit_event; --", ""]) {
      const body = question({ requestId });
      const res = await toKent(body, hubSigned(body));
      expect(res.status, JSON.stringify(requestId)).toBe(400);
      expectNothingDisclosed(res);
      await expectRefusalAudited(res, { sub: "owner@kent", org: "KENT", denied: "malformed request id" });
      if (requestId) expect(await auditFor(stack.databases.KENT!.ownerUrl, requestId)).toEqual([]);
    }
  });
});

describe("the hub's internal routes", () => {
  const policy = () => `${hubOrigin()}/internal/policy`;
  const index = () => `${hubOrigin()}/internal/index`;
  const kentSigned = (method: string, path: string, body: string, over: Partial<Parameters<typeof signServiceRequest>[0]> = {}) =>
    signServiceRequest({ secret: secretOf("KENT"), caller: "KENT", target: "HUB", method, path, body, ...over }) as unknown as Record<string, string>;

  it("answers a force's signed policy refresh once, and refuses its replay", async () => {
    const headers = kentSigned("GET", "/internal/policy", "");
    const first = await send(policy(), { method: "GET", headers });
    expect(first.status, first.raw).toBe(200);
    const replay = await send(policy(), { method: "GET", headers });
    expect(replay.status).toBe(403);
    expect(replay.raw).not.toContain("agreements");
  });

  it("lets a force publish only in its own name, about its own records", async () => {
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
    const body = JSON.stringify({ events: [event] });
    // KENT's secret cannot sign as NORFOLK.
    expect((await send(index(), { body, headers: kentSigned("POST", "/internal/index", body, { caller: "NORFOLK" }) })).status).toBe(403);
    // KENT signing correctly as itself gets past the signature, and still cannot publish a NORFOLK pointer.
    const asKent = await send(index(), { body, headers: kentSigned("POST", "/internal/index", body) });
    expect(asKent.status, asKent.raw).toBe(400);
  });

  it("refuses a signature made for another route, another method or another target", async () => {
    const body = JSON.stringify({ events: [] });
    const attempts: [string, string, string, Record<string, string>, string][] = [
      ["policy signature sent to the index", "POST", index(), kentSigned("GET", "/internal/policy", body), body],
      ["index signature sent as a GET to the policy", "GET", policy(), kentSigned("POST", "/internal/index", ""), ""],
      ["a hub → KENT signature sent back to the hub", "GET", policy(), kentSigned("GET", "/internal/policy", "", { caller: "HUB", target: "KENT" }), ""],
      ["a KENT signature aimed at KENT", "GET", policy(), kentSigned("GET", "/internal/policy", "", { target: "KENT" }), ""],
      ["signed in ESSEX's name with KENT's secret", "GET", policy(), kentSigned("GET", "/internal/policy", "", { caller: "ESSEX" }), ""],
    ];
    for (const [what, method, url, headers, sent] of attempts) {
      const res = await send(url, { method, headers, body: sent });
      expect(res.status, what).toBe(403);
      expect(res.raw, what).not.toMatch(/agreements|applied/);
    }
  });
});

describe("the legitimate path", () => {
  it("answers cross-force questions through the gateway, a full page included: the hub asks the force, which answers and audits", async () => {
    const LIST = `query($f: IdentityFilter, $first: Int!) { identities(filter: $f, first: $first) { nodes { id } unavailableOrgs } }`;
    const res = await gql<{ identities: { nodes: { id: string }[]; unavailableOrgs: string[] } }>(stack.gatewayUrl, LIST, {
      token: tokenFor({ org: "CEOP", roles: ["ANALYST"], sub: "analyst@ceop" }),
      variables: { first: 100, f: { orgs: ["KENT"] } },
    });
    expect(res.errors, res.raw).toBeUndefined();
    expect(res.data!.identities.unavailableOrgs).toEqual([]);
    expect(res.data!.identities.nodes.map((n) => n.id)).toContain(seeded.id);
    const events = await auditFor(stack.databases.KENT!.ownerUrl, res.requestId);
    expect(events.map((e) => [e.operation, e.sub])).toEqual([["identities", "analyst@ceop"]]);
  });

  it("relays a new record to the hub's index and refreshes the forces' policy over signed calls", async () => {
    const since = Date.now();
    const other = await recordIdentity(stack, "ESSEX");
    // The outbox relay's signed POST to the hub's /internal/index.
    await indexed(stack, [other.id]);
    const LINK = `query($id: ID!) { linkGraph(rootId: $id, depth: 1) { nodes { id } unavailableOrgs } }`;
    const res = await gql<{ linkGraph: { nodes: { id: string }[]; unavailableOrgs: string[] } }>(stack.gatewayUrl, LINK, {
      token: tokenFor({ org: "CEOP", roles: ["ANALYST"], sub: "analyst@ceop" }),
      variables: { id: other.id },
    });
    expect(res.errors, res.raw).toBeUndefined();
    expect(res.data!.linkGraph.unavailableOrgs).toEqual([]);
    expect(res.data!.linkGraph.nodes.map((n) => n.id)).toEqual([other.id]);
    // No signed call from a force to the hub was refused along the way.
    for (const name of ["hub", "essex", "kent"]) {
      const refused = stack.services
        .get(name)!
        .lines.filter((l) => l.startsWith("{") && l.includes("refused"))
        .filter((l) => {
          try {
            return Date.parse((JSON.parse(l) as { time: string }).time) >= since;
          } catch {
            return true;
          }
        });
      expect(refused, name).toEqual([]);
    }
  });
});
