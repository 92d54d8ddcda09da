import { describe, expect, it } from "vitest";
import { deriveGatewaySecret, GATEWAY_SIGNATURE_HEADER, ReplayGuard, verifyGatewayRequest } from "@interforce/auth";
import { allowlisted, signingFetcher } from "./forward.js";

const secret = deriveGatewaySecret("m".repeat(64), "kent");

describe("headers forwarded to subgraphs", () => {
  it("keeps only content-type, the user's token, the purpose and the request id", () => {
    expect(
      allowlisted({
        "Content-Type": "application/json",
        authorization: "Bearer t",
        "x-purpose": "op",
        "x-request-id": "r1",
        "x-org": "KENT",
        "x-user": "admin",
        "x-forwarded-for": "10.0.0.1",
        cookie: "s=1",
        [GATEWAY_SIGNATURE_HEADER]: "v1;forged",
        "x-interforce-caller": "gateway",
      }),
    ).toEqual({ "content-type": "application/json", authorization: "Bearer t", "x-purpose": "op", "x-request-id": "r1" });
  });
});

describe("the signing fetcher", () => {
  it("sends a signature the subgraph accepts, over exactly what it sends, with no redirects and a deadline", async () => {
    let seen: { url: string; init: Record<string, unknown> } | undefined;
    const base = (async (url: string, init: Record<string, unknown>) => {
      seen = { url, init };
      return new Response("{}");
    }) as never;
    const fetcher = signingFetcher(base, { subgraph: "kent", secret, timeoutMs: 1000 });
    const body = JSON.stringify({ query: "{ kent { identities { nodes { id } } } }" });
    await fetcher("http://127.0.0.1:4012/graphql", {
      method: "POST",
      body,
      headers: { "content-type": "application/json", authorization: "Bearer t", "x-purpose": "op", "x-request-id": "r1", "x-org": "KENT" },
    });
    const headers = seen!.init.headers as Record<string, string>;
    expect(headers["x-org"]).toBeUndefined();
    expect(seen!.init.redirect).toBe("error");
    expect(seen!.init.signal).toBeInstanceOf(AbortSignal);
    await expect(
      verifyGatewayRequest({ secret, subgraph: "kent", request: { method: "POST", path: "/graphql", headers, body }, replay: new ReplayGuard() }),
    ).resolves.toBeUndefined();
    await expect(
      verifyGatewayRequest({
        secret: deriveGatewaySecret("m".repeat(64), "norfolk"),
        subgraph: "norfolk",
        request: { method: "POST", path: "/graphql", headers, body },
        replay: new ReplayGuard(),
      }),
    ).rejects.toThrow();
  });
});
