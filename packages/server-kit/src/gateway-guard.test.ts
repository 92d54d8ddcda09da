import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { deriveGatewaySecret, GATEWAY_SIGNATURE_HEADER, signGatewayRequest } from "@interforce/auth";
import { gatewayOnly, type RefusedCall } from "./gateway-guard.js";
import { RefusalAuditCap } from "./refusal-cap.js";
import type { RequestInfo } from "./http.js";

const secret = deriveGatewaySecret("s".repeat(64), "kent");
const log = pino({ level: "silent" });

function request(headers: Record<string, string> = {}, rawBody = JSON.stringify({ query: "{ _service { sdl } }" })): RequestInfo {
  return { headers, rawBody, requestId: "r1", method: "POST", url: "/graphql", remoteAddress: "127.0.0.1" };
}

function guard(audited: RefusedCall[], auditPerMinute?: number) {
  return gatewayOnly({
    subgraph: "kent",
    secret,
    log,
    identify: async (req) => (req.headers.authorization ? { sub: "someone", org: "ESSEX", roles: ["ANALYST"] } : null),
    audit: async (call) => {
      audited.push(call);
    },
    auditCap: auditPerMinute === undefined ? undefined : new RefusalAuditCap("refused-direct:kent", undefined, auditPerMinute),
  });
}

describe("gatewayOnly", () => {
  it("lets a call signed for this subgraph through, once", async () => {
    const audited: RefusedCall[] = [];
    const admit = guard(audited);
    const base = request({ "x-request-id": "r1" });
    const signature = signGatewayRequest({
      secret,
      subgraph: "kent",
      request: { method: "POST", path: "/graphql", headers: base.headers, body: base.rawBody },
    });
    const signed = { ...base, headers: { ...base.headers, [GATEWAY_SIGNATURE_HEADER]: signature } };
    expect(await admit(signed)).toBeUndefined();
    expect(await admit(signed)).toMatchObject({ status: 403, code: "FORBIDDEN" });
    expect(audited.map((a) => a.reason)).toEqual(["replayed gateway signature"]);
  });

  it("refuses and audits a direct call, naming the caller when its token verifies and what it tried", async () => {
    const audited: RefusedCall[] = [];
    const refusal = await guard(audited)(request({ authorization: "Bearer x", "x-purpose": " fishing " }));
    expect(refusal).toEqual({ status: 403, code: "FORBIDDEN", message: expect.stringMatching(/only the Interforce gateway/) });
    expect(audited).toEqual([
      {
        reason: "missing gateway signature",
        principal: { sub: "someone", org: "ESSEX", roles: ["ANALYST"] },
        purpose: "fishing",
        requestId: "r1",
        detail: { remoteAddress: "127.0.0.1", method: "POST", operationName: null, query: "{ _service { sdl } }", suppressed: 0 },
      },
    ]);
  });

  it("audits a flood of refusals only up to its rate, then counts the rest into the next audited one", async () => {
    const audited: RefusedCall[] = [];
    const admit = guard(audited, 3);
    for (let i = 0; i < 10; i++) expect(await admit(request())).toMatchObject({ status: 403 });
    expect(audited).toHaveLength(3);
  });

  it("always audits a refusal whose token names someone, however many anonymous ones came first", async () => {
    const audited: RefusedCall[] = [];
    const admit = guard(audited, 3);
    for (let i = 0; i < 10; i++) await admit(request());
    expect(await admit(request({ authorization: "Bearer x" }, JSON.stringify({ query: "{ _entities(representations: []) { __typename } }" })))).toMatchObject({
      status: 403,
    });
    expect(audited).toHaveLength(4);
    expect(audited[3]).toMatchObject({ principal: { sub: "someone", org: "ESSEX" }, detail: { query: expect.stringContaining("_entities") } });
  });
});
