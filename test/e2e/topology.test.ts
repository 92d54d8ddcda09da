/**
 * Nothing assumes one host: a registry that places KENT on another address (127.0.0.2) than
 * the rest is enough for the launcher, the gateway, the hub and KENT itself. KENT listens
 * there only, and every path through it — the gateway's fetches, the hub's questions to the
 * forces, KENT's outbox to the hub — still works.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestStack } from "@interforce/testkit";

const KENT_HOST = "127.0.0.2";
const dir = mkdtempSync(join(tmpdir(), "interforce-topology-"));
const registry = JSON.parse(readFileSync(join(import.meta.dirname, "../../infra/orgs.json"), "utf8")) as {
  orgs: { code: string; host?: string }[];
};
registry.orgs.find((o) => o.code === "KENT")!.host = KENT_HOST;
writeFileSync(join(dir, "orgs.json"), JSON.stringify(registry));
// Every process of the stack reads this registry: the test's own modules too, loaded below.
process.env.INTERFORCE_REGISTRY = join(dir, "orgs.json");

const { gql, startTestStack, tokenFor } = await import("@interforce/testkit");
const { indexed, recordIdentity } = await import("../security/support.js");
const { orgPort } = await import("@interforce/domain");

let stack: TestStack;

const reachable = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect({ host, port });
    s.once("connect", () => (s.destroy(), resolve(true)));
    s.once("error", () => resolve(false));
  });

beforeAll(async () => {
  stack = await startTestStack();
});

afterAll(async () => {
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
  delete process.env.INTERFORCE_REGISTRY;
});

describe("a force on another address than the rest", () => {
  it("listens on its registry address only", async () => {
    expect(stack.forceUrls.KENT).toBe(`http://${KENT_HOST}:${orgPort("KENT")}/graphql`);
    expect(await reachable(KENT_HOST, orgPort("KENT"))).toBe(true);
    expect(await reachable("127.0.0.1", orgPort("KENT"))).toBe(false);
    // The others stay on loopback, where the registry puts them by default.
    expect(await reachable("127.0.0.1", orgPort("NORFOLK"))).toBe(true);
    expect(await reachable(KENT_HOST, orgPort("NORFOLK"))).toBe(false);
  });

  it("is called there by the gateway, the hub and its own outbox", async () => {
    // A write through the gateway, relayed by KENT's outbox to the hub's index.
    const kent = await recordIdentity(stack, "KENT");
    const norfolk = await recordIdentity(stack, "NORFOLK", {}, { handle: kent.handle });
    await indexed(stack, [kent.id, norfolk.id]);
    const token = tokenFor({ org: "KENT", roles: ["ANALYST"], clearance: "SECRET", sub: "analyst@kent" });

    // The gateway fetches the hit's fields from KENT at its address.
    const search = await gql<{ search: { hits: { identity: { id: string; handle: string } | null }[] } }>(
      stack.gatewayUrl,
      `query($q: String!) { search(query: $q) { hits { identity { id ... on OnlineIdentity { handle } } } } }`,
      { token, variables: { q: kent.handle } },
    );
    expect(search.errors).toBeUndefined();
    expect(search.data!.search.hits.map((h) => h.identity?.id).sort()).toEqual([kent.id, norfolk.id].sort());

    // The hub asks every force, KENT at its address, for a list that spans forces.
    const across = await gql<{ identities: { nodes: { id: string }[]; unavailable?: string[] } }>(
      stack.gatewayUrl,
      `{ identities(first: 100) { nodes { id } } }`,
      { token },
    );
    expect(across.errors).toBeUndefined();
    expect(across.data!.identities.nodes.map((n) => n.id)).toContain(kent.id);

    // And the gateway says where it calls KENT.
    const ready = stack.services
      .get("gateway")!
      .lines.map((l) => (l.startsWith("{") ? (JSON.parse(l) as { msg?: string; subgraphs?: Record<string, string> }) : {}))
      .find((l) => l.msg?.startsWith("gateway ready"));
    expect(ready?.subgraphs?.kent).toBe(`http://${KENT_HOST}:${orgPort("KENT")}/graphql`);
  });
});
