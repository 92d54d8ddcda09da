/**
 * Outside development every service runs compiled: plain `node` on its bundle
 * (`npm run build`), with no transpiler loaded and no source maps, and the federation
 * answers through it as it does from source.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, gql, identityInput, RECORD_IDENTITY, startTestStack, tokenFor, type TestStack } from "@interforce/testkit";

let stack: TestStack;
const tag = Math.random().toString(36).slice(2, 8);

beforeAll(async () => {
  stack = await startTestStack({ serviceEnv: { INTERFORCE_MODE: "production" } });
});
afterAll(async () => {
  await stack?.stop();
});

describe("in production mode", () => {
  it("runs every service as plain node on its compiled bundle: no transpiler, no source maps", () => {
    expect(stack.services.size).toBe(6);
    for (const [name, svc] of stack.services) {
      const args = svc.process.spawnargs.slice(1);
      expect(args, name).toHaveLength(1);
      expect(args[0], name).toMatch(/^services\/(force-subgraph|hub-subgraph|gateway)\/dist\/main\.mjs$/);
      expect(args.join(" "), name).not.toMatch(/tsx|source-maps/);
    }
  });

  it("records at a force and finds the record through the hub's index, every hop compiled", async () => {
    const handle = `compiled_${tag}`;
    const recorded = await gql<{ kent: { recordOnlineIdentity: { id: string } } }>(stack.gatewayUrl, RECORD_IDENTITY("kent"), {
      token: tokenFor({ org: "KENT", roles: ["OFFICER"], clearance: "OFFICIAL_SENSITIVE", sub: "officer@kent" }),
      variables: { input: identityInput({ handle }) },
    });
    expect(recorded.errors).toBeUndefined();
    const id = recorded.data!.kent.recordOnlineIdentity.id;
    const analyst = tokenFor({ org: "NORFOLK", roles: ["ANALYST"], clearance: "OFFICIAL_SENSITIVE", sub: "analyst@norfolk" });
    const hit = await eventually(async () => {
      const r = await gql<{ search: { hits: { recordId: string; org: { code: string } }[] } }>(
        stack.gatewayUrl,
        `query($q: String!) { search(query: $q) { hits { recordId org { code } } } }`,
        { token: analyst, variables: { q: handle } },
      );
      return r.data?.search.hits.find((h) => h.recordId === id);
    }, 30_000);
    expect(hit.org.code).toBe("KENT");
  });
});
