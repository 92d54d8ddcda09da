/**
 * Trust boundaries: subgraphs answer only the gateway (signed, per subgraph, replay-safe),
 * still verify the user's token and authorise by themselves; and every token an attacker
 * can forge or replay is refused, at the gateway and again at the subgraph, by RFC 8725
 * rules, including a key rotated out after its overlap window.
 */
import { createHmac, createPublicKey, generateKeyPairSync, randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  deriveGatewaySecret,
  deriveServiceSecret,
  ensureServiceSecret,
  GATEWAY_SIGNATURE_HEADER,
  loadSigningKey,
  rotateDevKeys,
  serviceAudience,
  signAccessToken,
  signGatewayRequest,
  type SigningKey,
} from "@interforce/auth";
import {
  accessClaims,
  eventually,
  gatewaySignature,
  gql,
  identityInput,
  markings,
  rawToken,
  RECORD_IDENTITY,
  sql,
  startTestStack,
  tokenFor,
  type TestStack,
} from "@interforce/testkit";
import { auditFor, codes, expectNoDisclosure, expectNothingWritten, indexed, ORGS, recordIdentity, type Seeded } from "./support.js";

let stack: TestStack;
let hidden: Seeded;
let visible: Seeded;
const servers: Server[] = [];

const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on KentOnlineIdentity { id handle notes displayName } } }`;
const SDL = `{ _service { sdl } }`;
const kentOwner = () => tokenFor({ org: "KENT", roles: ["OFFICER", "FORCE_ADMIN"], clearance: "SECRET", covert: true, sub: "owner@kent" });
const essexAnalyst = () => tokenFor({ org: "ESSEX", roles: ["ANALYST"], clearance: "SECRET", sub: "analyst@essex" });
const subgraphUrl = (name: string) => (name === "hub" ? stack.hubUrl : stack.forceUrls[name.toUpperCase()]!);
const SUBGRAPHS = ["hub", ...ORGS.map((o) => o.toLowerCase())];

beforeAll(async () => {
  stack = await startTestStack();
  hidden = await recordIdentity(stack, "KENT", { classification: "SECRET", covert: true });
  visible = await recordIdentity(stack, "KENT");
  await indexed(stack, [hidden.id, visible.id]);
});

afterAll(async () => {
  for (const s of servers) await new Promise<void>((resolve) => s.close(() => resolve()));
  await stack?.stop();
});

describe("subgraphs answer only the gateway", () => {
  it.each(SUBGRAPHS)("refuses _service { sdl } called directly on %s, with or without a valid token, and audits it", async (name) => {
    for (const token of [undefined, kentOwner()]) {
      const res = await gql(subgraphUrl(name), SDL, { token });
      expect(res.status).toBe(403);
      expect(codes(res)).toEqual(["FORBIDDEN"]);
      expect(res.data ?? null).toBeNull();
      expect(res.raw).not.toMatch(/type Query|@key|_Entity|KentOnlineIdentity/);
      const db = name === "hub" ? stack.databases.HUB! : stack.databases[name.toUpperCase()]!;
      const [event] = await auditFor(db.ownerUrl, res.requestId);
      expect(event).toMatchObject({ operation: "refused direct call", sub: token ? "owner@kent" : "unauthenticated", org: token ? "KENT" : "UNKNOWN" });
      expect(event!.detail).toMatchObject({ denied: "missing gateway signature", query: SDL });
    }
  });

  it("refuses _entities called directly, even by the record's owner, and discloses nothing", async () => {
    for (const token of [undefined, kentOwner(), essexAnalyst()]) {
      const res = await gql(stack.forceUrls.KENT!, ENTITIES, { token, variables: { r: [{ __typename: "KentOnlineIdentity", id: hidden.id }] } });
      expect(res.status).toBe(403);
      expect(codes(res)).toEqual(["FORBIDDEN"]);
      expectNoDisclosure(res, [hidden.handle, hidden.notes, visible.handle]);
      expect((await auditFor(stack.databases.KENT!.ownerUrl, res.requestId)).map((e) => e.operation)).toEqual(["refused direct call"]);
    }
  });

  it("refuses root fields and mutations called directly, and writes nothing", async () => {
    const handle = `direct_${randomBytes(4).toString("hex")}`;
    await expectNothingWritten(stack, async () => {
      const write = await gql(stack.forceUrls.KENT!, RECORD_IDENTITY("kent"), { token: kentOwner(), variables: { input: identityInput({ handle }) } });
      const list = await gql(stack.forceUrls.KENT!, `{ kent { identities { nodes { handle notes } } } }`, { token: kentOwner() });
      const search = await gql(stack.hubUrl, `query($s: String!) { search(query: $s, platform: SNAPCHAT) { hits { recordId } } }`, {
        token: kentOwner(),
        variables: { s: hidden.handle },
      });
      for (const res of [write, list, search]) {
        expect(res.status).toBe(403);
        expect(codes(res)).toEqual(["FORBIDDEN"]);
        expectNoDisclosure(res, [hidden.handle, hidden.notes, hidden.id, visible.handle]);
      }
    });
    expect(await sql(stack.databases.KENT!.ownerUrl, "SELECT 1 FROM online_identity WHERE handle = $1", [handle])).toEqual([]);
  });

  it.each<[string, (body: string, headers: Record<string, string>) => string]>([
    ["a made-up signature", () => `v1;t=${Date.now()};n=${"ab".repeat(16)};s=${"cd".repeat(32)}`],
    ["garbage", () => "gateway"],
    ["a signature made for another subgraph", (body, headers) => gatewaySignature("norfolk", { url: stack.forceUrls.KENT!, headers, body })],
    [
      "another subgraph's secret",
      (body, headers) =>
        signGatewayRequest({
          secret: deriveGatewaySecret(ensureServiceSecret(), "norfolk"),
          subgraph: "kent",
          request: { method: "POST", path: "/graphql", headers, body },
        }),
    ],
    [
      "the force's own service secret",
      (body, headers) =>
        signGatewayRequest({
          secret: deriveServiceSecret(ensureServiceSecret(), "KENT"),
          subgraph: "kent",
          request: { method: "POST", path: "/graphql", headers, body },
        }),
    ],
    [
      "a signature a minute old",
      (body, headers) =>
        signGatewayRequest({
          secret: deriveGatewaySecret(ensureServiceSecret(), "kent"),
          subgraph: "kent",
          request: { method: "POST", path: "/graphql", headers, body },
          now: Date.now() - 60_000,
        }),
    ],
  ])("refuses a call carrying %s", async (_name, sign) => {
    const body = JSON.stringify({ query: ENTITIES, variables: { r: [{ __typename: "KentOnlineIdentity", id: hidden.id }] } });
    const headers: Record<string, string> = {
      "content-type": "application/json",
      authorization: `Bearer ${kentOwner()}`,
      "x-purpose": "op 1",
      "x-request-id": `t-${randomBytes(6).toString("hex")}`,
    };
    const res = await gql(stack.forceUrls.KENT!, "", {
      rawBody: body,
      purpose: headers["x-purpose"],
      requestId: headers["x-request-id"],
      headers: { ...headers, [GATEWAY_SIGNATURE_HEADER]: sign(body, headers) },
    });
    expect(res.status).toBe(403);
    expect(codes(res)).toEqual(["FORBIDDEN"]);
    expectNoDisclosure(res, [hidden.handle, hidden.notes]);
    const [event] = await auditFor(stack.databases.KENT!.ownerUrl, res.requestId);
    expect(event?.operation).toBe("refused direct call");
  });

  it("accepts a captured gateway call once; its replay, or its signature on another token or purpose, is refused", async () => {
    const body = JSON.stringify({ query: ENTITIES, variables: { r: [{ __typename: "KentOnlineIdentity", id: visible.id }] } });
    const headers: Record<string, string> = {
      "content-type": "application/json",
      authorization: `Bearer ${essexAnalyst()}`,
      "x-purpose": "op 2",
      "x-request-id": `t-${randomBytes(6).toString("hex")}`,
    };
    const signature = gatewaySignature("kent", { url: stack.forceUrls.KENT!, headers, body });
    const send = (h: Record<string, string>) =>
      gql(stack.forceUrls.KENT!, "", {
        rawBody: body,
        purpose: h["x-purpose"],
        requestId: h["x-request-id"],
        headers: { ...h, [GATEWAY_SIGNATURE_HEADER]: signature },
      });

    const first = await send(headers);
    expect(first.status).toBe(200);
    expect(first.raw).toContain(visible.handle);

    const replay = await send(headers);
    expect(replay.status).toBe(403);
    expect((await auditFor(stack.databases.KENT!.ownerUrl, headers["x-request-id"]!)).map((e) => e.detail.denied)).toContain("replayed gateway signature");

    const changes: Record<string, string>[] = [{ authorization: `Bearer ${kentOwner()}` }, { "x-purpose": "something else" }, { "x-request-id": "other-id" }];
    for (const change of changes) {
      const res = await send({ ...headers, ...change });
      expect(res.status).toBe(403);
      expectNoDisclosure(res, [visible.handle, hidden.handle]);
    }
  });

  it("authenticates a gateway-signed call itself: no token or a bad one is UNAUTHENTICATED", async () => {
    for (const token of [
      undefined,
      "not.a.jwt",
      rawToken(accessClaims("KENT", { exp: Math.floor(Date.now() / 1000) - 120, iat: Math.floor(Date.now() / 1000) - 700 })),
    ]) {
      const res = await gql(stack.forceUrls.KENT!, ENTITIES, {
        token,
        asGateway: "kent",
        variables: { r: [{ __typename: "KentOnlineIdentity", id: hidden.id }] },
      });
      expect(res.status).toBe(401);
      expect(codes(res)).toEqual(["UNAUTHENTICATED"]);
      expectNoDisclosure(res, [hidden.handle, hidden.notes]);
    }
  });

  it("authorises in __resolveReference itself: a gateway-signed _entities for a record the caller may not read is null", async () => {
    const reps = [hidden, visible].map((r) => ({ __typename: "KentOnlineIdentity", id: r.id }));
    const denied = await gql<{ _entities: unknown[] }>(stack.forceUrls.KENT!, ENTITIES, { token: essexAnalyst(), asGateway: "kent", variables: { r: reps } });
    expect(denied.errors).toBeUndefined();
    expect(denied.data!._entities[0]).toBeNull();
    expect(denied.data!._entities[1]).toMatchObject({ id: visible.id, handle: visible.handle });
    expectNoDisclosure(denied, [hidden.handle, hidden.notes]);
    const owner = await gql<{ _entities: { handle: string }[] }>(stack.forceUrls.KENT!, ENTITIES, {
      token: kentOwner(),
      asGateway: "kent",
      variables: { r: reps },
    });
    expect(owner.data!._entities[0]!.handle).toBe(hidden.handle);
  });

  it("answers malformed representations (no id, a null or object id, an unknown type) as bad input, never an internal error", async () => {
    for (const rep of [
      { __typename: "KentOnlineIdentity" },
      { __typename: "KentOnlineIdentity", id: null },
      { __typename: "KentOnlineIdentity", id: { $ne: null } },
      { __typename: "NorfolkOnlineIdentity", id: visible.id },
      { __typename: "Foo", id: visible.id },
    ]) {
      const res = await gql(stack.forceUrls.KENT!, ENTITIES, { token: kentOwner(), asGateway: "kent", variables: { r: [rep] } });
      expect(codes(res), JSON.stringify(rep)).toEqual(["BAD_USER_INPUT"]);
      expectNoDisclosure(res, [visible.handle, visible.notes, "loader", "DataLoader", ".ts:"]);
    }
  });

  it("ignores identity headers a client sets: the gateway forwards none and the subgraphs trust only the token", async () => {
    const spoof = {
      "x-org": "KENT",
      "x-user": "owner@kent",
      "x-roles": "FORCE_ADMIN",
      "x-clearance": "SECRET",
      "x-covert": "true",
      "x-interforce-caller": "gateway",
      "x-forwarded-for": "10.0.0.1",
      [GATEWAY_SIGNATURE_HEADER]: `v1;t=${Date.now()};n=${"0".repeat(32)};s=${"0".repeat(64)}`,
    };
    const res = await gql(
      stack.gatewayUrl,
      `query($id: ID!) { kent { identity(id: $id) { id handle notes } } identity(id: $id) { id ... on OnlineIdentity { handle } } }`,
      {
        token: essexAnalyst(),
        headers: spoof,
        variables: { id: hidden.id },
      },
    );
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ kent: { identity: null } });
    expectNoDisclosure(res, [hidden.handle, hidden.notes]);
  });
});

// ---------------------------------------------------------------------------------------
// Tokens an attacker can make
// ---------------------------------------------------------------------------------------

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
const nowSec = () => Math.floor(Date.now() / 1000);
let attacker: { kid: string; privateKeyPem: string; jwk: Record<string, unknown> };
let attackerJwks: { url: string; hits: () => number };

async function serveJwks(): Promise<{ url: string; hits: () => number }> {
  let hits = 0;
  const server = createServer((_req, res) => {
    hits++;
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ keys: [attacker.jwk] }));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/jwks.json`, hits: () => hits };
}

/** KENT claims strong enough to write into kent: if any forgery got through, a row would appear. */
const writer = (over: Record<string, unknown> = {}) => accessClaims("KENT", { roles: ["OFFICER", "FORCE_ADMIN"], ...over });

const FORGERIES: [string, () => string][] = [
  ["alg none", () => `${b64({ alg: "none", typ: "at+jwt", kid: loadSigningKey().kid })}.${b64(writer())}.`],
  [
    "HS256 signed with the RSA public key",
    () => {
      const publicPem = createPublicKey(loadSigningKey().privateKeyPem).export({ type: "spki", format: "pem" });
      const input = `${b64({ alg: "HS256", typ: "at+jwt", kid: loadSigningKey().kid })}.${b64(writer())}`;
      return `${input}.${createHmac("sha256", publicPem).update(input).digest("base64url")}`;
    },
  ],
  ["a wrong iss", () => rawToken(writer({ iss: "https://idp.attacker.example" }))],
  ["a wrong aud", () => rawToken(writer({ aud: "some-other-api" }))],
  ["an expired token", () => rawToken(writer({ iat: nowSec() - 7200, exp: nowSec() - 3600 }))],
  ["a future nbf", () => rawToken(writer({ nbf: nowSec() + 3600 }))],
  ["a lifetime over the maximum", () => rawToken(writer({ exp: nowSec() + 30 * 86400 }))],
  ["no exp", () => rawToken(writer({ exp: undefined }))],
  ["an unknown kid", () => rawToken(writer(), { kid: randomBytes(8).toString("hex") })],
  ["a kid with a path", () => rawToken(writer(), { kid: "../../../../../../dev/null" })],
  ["a kid with SQL", () => rawToken(writer(), { kid: "' UNION SELECT 'AAAA' --" })],
  ["an ID-token typ", () => rawToken(writer(), { typ: "JWT" })],
  ["an id_token typ", () => rawToken(writer(), { typ: "id_token" })],
  ["a jku pointing elsewhere", () => rawToken(writer(), { kid: attacker.kid, jku: attackerJwks.url }, attacker)],
  ["an x5u pointing elsewhere", () => rawToken(writer(), { kid: attacker.kid, x5u: attackerJwks.url }, attacker)],
  ["its own key embedded as jwk", () => rawToken(writer(), { jwk: attacker.jwk }, { kid: loadSigningKey().kid, privateKeyPem: attacker.privateKeyPem })],
  ["a claim the IdP never issues (org)", () => rawToken(writer({ org: "KENT' OR '1'='1" }))],
];

describe("forged and misused tokens", () => {
  beforeAll(async () => {
    const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const kid = randomBytes(8).toString("hex");
    attacker = {
      kid,
      privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      jwk: { ...publicKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" },
    };
    attackerJwks = await serveJwks();
  });

  it.each(FORGERIES)("refuses %s at the gateway and at the subgraph, writes nothing and fetches nothing", async (_name, forge) => {
    const token = forge();
    const handle = `forged_${randomBytes(4).toString("hex")}`;
    const variables = { input: identityInput({ handle, markings: markings() }) };
    await expectNothingWritten(
      stack,
      async () => {
        const viaGateway = await gql(stack.gatewayUrl, RECORD_IDENTITY("kent"), { token, variables });
        const viaSubgraph = await gql(stack.forceUrls.KENT!, RECORD_IDENTITY("kent"), { token, variables, asGateway: "kent" });
        const read = await gql(stack.gatewayUrl, `query($id: ID!) { kent { identity(id: $id) { handle notes } } }`, { token, variables: { id: hidden.id } });
        const viaHub = await gql(stack.hubUrl, `query($id: ID!) { identity(id: $id) { id } orgs { code } }`, {
          token,
          variables: { id: hidden.id },
          asGateway: "hub",
        });
        for (const res of [viaGateway, viaSubgraph, read, viaHub]) {
          expect(res.status).toBe(401);
          expect(codes(res)).toEqual(["UNAUTHENTICATED"]);
          expect(res.data ?? null).toBeNull();
          expectNoDisclosure(res, [hidden.handle, hidden.notes]);
        }
      },
      { audit: true },
    );
    expect(attackerJwks.hits()).toBe(0);
  });
});

describe("request ids", () => {
  it("gives every request an id of its own at the gateway: a client cannot file its reads under another request's id", async () => {
    const chosen = `victim-${randomBytes(6).toString("hex")}`;
    const res = await gql(stack.gatewayUrl, `query($id: ID!) { kent { identity(id: $id) { handle } } }`, {
      token: essexAnalyst(),
      variables: { id: visible.id },
      requestId: chosen,
    });
    expect(res.raw).toContain(visible.handle);
    expect(res.requestId).not.toBe(chosen);
    expect(await auditFor(stack.databases.KENT!.ownerUrl, chosen)).toEqual([]);
    expect((await auditFor(stack.databases.KENT!.ownerUrl, res.requestId)).length).toBeGreaterThan(0);
  });
});

describe("concurrent identical operations", () => {
  it("answers each caller as itself and audits every request, however many identical operations are in flight", async () => {
    // The same text and variables from a principal who may read the record and one who may not, all in flight at once:
    // an engine that merged identical subgraph calls would hand one caller's answer to the other and log one access.
    const query = `query Same($id: ID!) { kent { identity(id: $id) { id handle notes } } }`;
    const owner = kentOwner();
    const outsider = essexAnalyst();
    const calls = Array.from({ length: 24 }, (_, i) => (i % 2 === 0 ? owner : outsider));
    const answers = await Promise.all(calls.map((token) => gql(stack.gatewayUrl, query, { token, variables: { id: hidden.id } })));
    answers.forEach((res, i) => {
      expect(res.status).toBe(200);
      if (calls[i] === owner) expect(res.data, res.raw).toEqual({ kent: { identity: { id: hidden.id, handle: hidden.handle, notes: hidden.notes } } });
      else {
        expect(res.data, res.raw).toEqual({ kent: { identity: null } });
        expectNoDisclosure(res, [hidden.handle, hidden.notes]);
      }
    });
    expect(new Set(answers.map((r) => r.requestId)).size).toBe(calls.length);
    for (const [i, res] of answers.entries()) {
      const events = await auditFor(stack.databases.KENT!.ownerUrl, res.requestId);
      expect(events.length, `request ${i} (${calls[i] === owner ? "owner" : "outsider"}) left no audit event at KENT`).toBeGreaterThan(0);
      expect(events.every((e) => e.sub === (calls[i] === owner ? "owner@kent" : "analyst@essex"))).toBe(true);
    }
  });
});

describe("per-service audience", () => {
  it("refuses at a subgraph a token that does not name it, though the gateway and the hub accept it", async () => {
    const token = signAccessToken(
      { sub: "analyst@essex", org: "ESSEX", roles: ["ANALYST"], clearance: "SECRET" },
      { audience: [serviceAudience("gateway"), serviceAudience("hub")] },
    );
    const hubOnly = await gql<{ orgs: { code: string }[] }>(stack.gatewayUrl, `{ orgs { code } }`, { token });
    expect(hubOnly.errors).toBeUndefined();
    expect(hubOnly.data!.orgs.length).toBeGreaterThan(0);
    // The same token, answered by KENT: the gateway lets it through, KENT itself refuses it.
    const viaGateway = await gql(stack.gatewayUrl, `query($id: ID!) { kent { identity(id: $id) { handle notes } } }`, { token, variables: { id: visible.id } });
    expect(codes(viaGateway)).toContain("UNAUTHENTICATED");
    expectNoDisclosure(viaGateway, [visible.handle, visible.notes]);
    const direct = await gql(stack.forceUrls.KENT!, `query($id: ID!) { kent { identity(id: $id) { handle notes } } }`, {
      token,
      variables: { id: visible.id },
      asGateway: "kent",
    });
    expect(direct.status).toBe(401);
    expect(codes(direct)).toEqual(["UNAUTHENTICATED"]);
    expectNoDisclosure(direct, [visible.handle, visible.notes]);
    // A token naming KENT reads the record: the refusal above is the audience's doing.
    const named = await gql(stack.gatewayUrl, `query($id: ID!) { kent { identity(id: $id) { handle } } }`, {
      token: essexAnalyst(),
      variables: { id: visible.id },
    });
    expect(named.raw).toContain(visible.handle);
  });
});

describe("key rotation", () => {
  it("accepts tokens of the old and new key during the overlap, and refuses the rotated-out key after it, without restarts", async () => {
    const oldKey: SigningKey = loadSigningKey();
    const oldToken = tokenFor({ org: "KENT", roles: ["ANALYST"], clearance: "SECRET", covert: true });
    const ask = (token: string) => gql(stack.gatewayUrl, `query($id: ID!) { kent { identity(id: $id) { handle } } }`, { token, variables: { id: hidden.id } });
    const askSubgraph = (token: string) =>
      gql(stack.forceUrls.KENT!, ENTITIES, { token, asGateway: "kent", variables: { r: [{ __typename: "KentOnlineIdentity", id: hidden.id }] } });

    const overlapSeconds = 8;
    const rotation = rotateDevKeys(stack.home, { overlapSeconds });
    const retiresAt = rotation.retiring.find((k) => k.kid === oldKey.kid)!.exp * 1000;
    expect(loadSigningKey().kid).toBe(rotation.kid);
    const newToken = tokenFor({ org: "KENT", roles: ["ANALYST"], clearance: "SECRET", covert: true });
    // Verifiers re-read the key set at least every second: wait until both accept the new key.
    await eventually(async () => (await ask(newToken)).status === 200 && (await askSubgraph(newToken)).status === 200, 10_000);

    for (const token of [oldToken, newToken]) {
      for (const res of [await ask(token), await askSubgraph(token)]) {
        expect(res.status, res.raw).toBe(200);
        expect(res.raw).toContain(hidden.handle);
      }
    }

    // Until the overlap ends the old key verifies; after it, once verifiers re-read the set, it must not.
    await new Promise((r) => setTimeout(r, Math.max(0, retiresAt - Date.now())));
    await eventually(async () => (await ask(oldToken)).status === 401 && (await askSubgraph(oldToken)).status === 401, 10_000);
    for (const res of [await ask(oldToken), await askSubgraph(oldToken)]) {
      expect(res.status).toBe(401);
      expect(codes(res)).toEqual(["UNAUTHENTICATED"]);
      expectNoDisclosure(res, [hidden.handle]);
    }
    // A token freshly signed with the old private key is refused just the same.
    const late = rawToken(accessClaims("KENT"), {}, oldKey);
    expect((await ask(late)).status).toBe(401);
    for (const res of [await ask(newToken), await askSubgraph(newToken)]) {
      expect(res.status).toBe(200);
      expect(res.raw).toContain(hidden.handle);
    }
  });
});
