import { createSign, generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ApolloServer } from "@apollo/server";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUDIENCE, createVerifier, DEFAULT_TOKEN_TTL_SEC, DEMO_PRINCIPALS, ensureDevKeys, ISSUER, loadJwks, loadSigningKey } from "@interforce/auth";
import { listen, type DrainableServer, type Refusal } from "@interforce/server-kit";
import { consoleSessionRoutes, SESSION_PATHS, type ConsoleSessionOptions } from "./console-session.js";

let home = "";
const servers: DrainableServer[] = [];
const CONTRACT_IDS = [
  "kent-analyst",
  "kent-force-admin",
  "norfolk-analyst",
  "norfolk-force-admin",
  "essex-analyst",
  "essex-force-admin",
  "ceop-analyst",
  "ceop-desk",
  "policy-admin",
  "kent-analyst-covert",
];

async function serve(opts: Partial<ConsoleSessionOptions> & { production: boolean }): Promise<string> {
  const server = new ApolloServer({ typeDefs: "type Query { a: Int }", resolvers: { Query: { a: () => 1 } } });
  await server.start();
  const routes = consoleSessionRoutes({
    verify: createVerifier({ jwks: loadJwks(home) }),
    devKeys: true,
    limit: async () => undefined,
    home,
    ...opts,
  });
  const http = await listen({ server, context: async () => ({}), port: 0, log: pino({ level: "silent" }), routes, production: opts.production });
  servers.push(http);
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

/** A JWT as the development IdP would sign it, but with the given claims and key. */
function signed(claims: Record<string, unknown>, key = loadSigningKey(home)): string {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const input = `${b64({ alg: "RS256", typ: "at+jwt", kid: key.kid })}.${b64(claims)}`;
  return `${input}.${createSign("RSA-SHA256").update(input).sign(key.privateKeyPem).toString("base64url")}`;
}

const claims = (over: Record<string, unknown> = {}) => {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: "demo-kent-analyst",
    org: "KENT",
    roles: ["ANALYST"],
    clearance: "OFFICIAL",
    covert: false,
    iss: ISSUER,
    aud: AUDIENCE,
    iat: now,
    exp: now + 600,
    ...over,
  };
};

const whoami = (base: string, token?: string) => fetch(`${base}${SESSION_PATHS.whoami}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
const mint = (base: string, body: unknown) =>
  fetch(`${base}${SESSION_PATHS.token}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

let dev = "";
let prod = "";
let foreignKeys = "";

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), "interforce-session-"));
  ensureDevKeys(home);
  [dev, prod, foreignKeys] = await Promise.all([serve({ production: false }), serve({ production: true }), serve({ production: false, devKeys: false })]);
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.drain(1000)));
  rmSync(home, { recursive: true, force: true });
});

describe("the console's session endpoints", () => {
  it("say which mode the gateway runs in", async () => {
    expect(await (await fetch(`${dev}${SESSION_PATHS.mode}`)).json()).toEqual({ mode: "development" });
    expect(await (await fetch(`${prod}${SESSION_PATHS.mode}`)).json()).toEqual({ mode: "production" });
  });

  it("list the demo principals of the contract in development", async () => {
    const res = await fetch(`${dev}${SESSION_PATHS.principals}`);
    expect(res.status).toBe(200);
    const { principals } = (await res.json()) as { principals: typeof DEMO_PRINCIPALS };
    expect(principals.map((p) => p.id)).toEqual(CONTRACT_IDS);
    for (const p of principals) expect(Object.keys(p).sort()).toEqual(["clearance", "covert", "id", "label", "org", "roles", "sub"]);
    expect(principals.find((p) => p.id === "ceop-desk")).toMatchObject({ org: "CEOP", roles: ["FORCE_ADMIN"], covert: true });
    expect(principals.find((p) => p.id === "policy-admin")?.roles).toEqual(["POLICY_ADMIN"]);
  });

  it("mint a demo principal a token the gateway's verifier accepts, for the token CLI's default lifetime", async () => {
    const res = await mint(dev, { id: "norfolk-force-admin" });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { token: string; expiresAt: string; principal: { id: string } };
    expect(body.principal.id).toBe("norfolk-force-admin");
    const lifetime = (Date.parse(body.expiresAt) - Date.now()) / 1000;
    expect(lifetime).toBeGreaterThan(DEFAULT_TOKEN_TTL_SEC - 60);
    expect(lifetime).toBeLessThanOrEqual(DEFAULT_TOKEN_TTL_SEC);
    const me = await whoami(dev, body.token);
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({
      principal: { sub: "demo-norfolk-force-admin", org: "NORFOLK", roles: ["FORCE_ADMIN"], clearance: "SECRET", covert: true },
      expiresAt: body.expiresAt,
    });
  });

  it("refuse to mint for an unknown principal or a malformed body", async () => {
    for (const body of [{ id: "root" }, { org: "KENT", roles: ["FORCE_ADMIN"] }, "kent-analyst"]) {
      const res = await mint(dev, body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe("BAD_USER_INPUT");
    }
  });

  it("have no principals or token endpoint in production: 404 NOT_FOUND, whatever else is set", async () => {
    for (const res of [await fetch(`${prod}${SESSION_PATHS.principals}`), await mint(prod, { id: "kent-analyst" })]) {
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ errors: [{ message: "Not found", extensions: { code: "NOT_FOUND" } }] });
    }
    // Production with the development keys allowed (the launcher's INTERFORCE_ALLOW_DEV_KEYS=1) is still production.
    const routes = consoleSessionRoutes({
      production: true,
      devKeys: true,
      verify: createVerifier({ jwks: loadJwks(home) }),
      limit: async () => undefined,
      home,
    });
    expect(routes.map((r) => r.path).sort()).toEqual([SESSION_PATHS.mode, SESSION_PATHS.whoami].sort());
  });

  it("mint nothing in development when the gateway does not trust the development keys", async () => {
    expect((await fetch(`${foreignKeys}${SESSION_PATHS.principals}`)).status).toBe(404);
    expect((await mint(foreignKeys, { id: "kent-analyst" })).status).toBe(404);
  });

  it("whoami answers 401 UNAUTHENTICATED for no token, a malformed one, an expired one, or one signed by another key", async () => {
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const otherKey = { kid: loadSigningKey(home).kid, privateKeyPem: other.privateKey.export({ type: "pkcs8", format: "pem" }).toString() };
    const now = Math.floor(Date.now() / 1000);
    const cases: [string | undefined, RegExp][] = [
      [undefined, /authentication required/],
      ["not-a-jwt", /malformed/],
      [signed(claims({ iat: now - 7200, exp: now - 3600 })), /expired/],
      [signed(claims(), otherKey), /signature/],
      [signed(claims({ aud: ["interforce-hub"] })), /audience/],
    ];
    for (const [token, reason] of cases) {
      for (const base of [dev, prod]) {
        const res = await whoami(base, token);
        expect(res.status, String(reason)).toBe(401);
        const body = (await res.json()) as { errors: { message: string; extensions: { code: string } }[] };
        expect(body.errors[0]!.extensions.code).toBe("UNAUTHENTICATED");
        expect(body.errors[0]!.message).toMatch(reason);
      }
    }
    expect((await whoami(prod, signed(claims()))).status).toBe(200);
  });

  it("spend from the gateway's rate limits: over budget is 429 RATE_LIMITED with retry-after", async () => {
    const seen: (string | undefined)[] = [];
    const refusal: Refusal = { status: 429, code: "RATE_LIMITED", message: "Too many requests; retry later", headers: { "retry-after": "42" } };
    const limited = await serve({
      production: false,
      limit: async (_req, principal) => {
        seen.push(principal?.sub);
        return refusal;
      },
    });
    for (const res of [await fetch(`${limited}${SESSION_PATHS.mode}`), await mint(limited, { id: "kent-analyst" }), await whoami(limited, signed(claims()))]) {
      expect(res.status).toBe(429);
      expect(res.headers.get("retry-after")).toBe("42");
      expect(((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe("RATE_LIMITED");
    }
    // Unauthenticated calls spend the address's budget; a verified token its principal's.
    expect(seen).toEqual([undefined, undefined, "demo-kent-analyst"]);
  });
});
