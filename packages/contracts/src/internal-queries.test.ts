import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { formatGlobalId } from "@interforce/domain";
import {
  INTERNAL_QUERY_NAMES,
  InternalQueryBody,
  internalQueries,
  parseInternalQuery,
  type InternalQueryName,
  type InternalQueryRequest,
  type InternalQueryResponse,
} from "./internal-queries.js";

const id = (kind: "identity" | "forum" | "link") => formatGlobalId("KENT", kind, randomUUID());
const requests: { [Q in InternalQueryName]: InternalQueryRequest<Q> } = {
  visible: { ids: [id("identity"), id("forum")] },
  links: { ids: [id("identity")], types: ["SAME_PERSON", "MEMBER_OF"] },
  identities: {
    first: 101,
    after: { t: 1732500000000, id: id("identity") },
    platform: "SNAPCHAT",
    status: null,
    lastSeenFrom: "2024-01-01T00:00:00.000Z",
    lastSeenTo: null,
    source: ["1", "2"],
    assessment: null,
  },
  forums: { first: 20, after: null, platform: null, kind: "CHAT_ROOM" },
};
const responses: { [Q in InternalQueryName]: InternalQueryResponse<Q> } = {
  visible: { visible: [id("identity")] },
  links: { links: [{ id: id("link"), fromId: id("identity"), toIdentityId: null, toForumId: id("forum"), linkType: "MEMBER_OF" }] },
  identities: { nodes: [{ id: id("identity"), t: 0 }] },
  forums: { nodes: [{ id: id("forum"), t: 1732500000000 }] },
};

describe("internal queries", () => {
  it("has a request and a response example for every query", () => {
    expect(Object.keys(requests).sort()).toEqual([...INTERNAL_QUERY_NAMES].sort());
    expect(Object.keys(responses).sort()).toEqual([...INTERNAL_QUERY_NAMES].sort());
  });

  it.each(INTERNAL_QUERY_NAMES)("parses a valid %s request and response", (q) => {
    expect(internalQueries[q].request.parse(requests[q])).toEqual(requests[q]);
    expect(internalQueries[q].response.parse(responses[q])).toEqual(responses[q]);
    expect(parseInternalQuery(q, requests[q])).toEqual({ ok: true, value: { query: q, args: requests[q] } });
  });

  it.each<[InternalQueryName, unknown]>([
    ["visible", {}],
    ["visible", { ids: Array.from({ length: 501 }, () => id("identity")) }],
    ["visible", { ids: ["x".repeat(101)] }],
    ["links", { ids: [id("identity")], types: ["KNOWS"] }],
    ["identities", { first: 102 }],
    ["identities", { first: 0 }],
    ["identities", { first: 10, lastSeenFrom: "last week" }],
    ["identities", { first: 10, source: ["4"] }],
    ["identities", { first: 10, after: { t: "yesterday", id: id("identity") } }],
    ["forums", { first: 1.5 }],
    ["forums", { first: 10, kind: "x".repeat(31) }],
  ])("rejects a malformed %s request %j", (q, args) => {
    expect(internalQueries[q].request.safeParse(args).success).toBe(false);
    expect(parseInternalQuery(q, args).ok).toBe(false);
  });

  it.each<[InternalQueryName, unknown]>([
    ["visible", { ids: [] }],
    ["visible", { visible: "all" }],
    ["links", { links: [{ id: id("link"), fromId: id("identity"), toIdentityId: null, toForumId: null, linkType: "KNOWS" }] }],
    ["links", { links: [{ id: id("link"), toIdentityId: null, toForumId: null, linkType: "SAME_PERSON" }] }],
    ["identities", { nodes: [{ id: id("identity") }] }],
    ["forums", { nodes: Array.from({ length: 102 }, () => ({ id: id("forum"), t: 0 })) }],
  ])("rejects a malformed %s response %j", (q, body) => {
    expect(internalQueries[q].response.safeParse(body).success).toBe(false);
  });

  describe("the call's body", () => {
    const body = { query: "links", token: "t".repeat(20), purpose: "op 24/1234", requestId: "r-1", args: { ids: [] } };

    it("parses a call", () => {
      expect(InternalQueryBody.parse(body)).toEqual(body);
    });

    it("reads a call of a hub that still names the query `op`", () => {
      const { query: _q, ...rest } = body;
      expect(InternalQueryBody.parse({ ...rest, op: "links" })).toEqual(body);
    });

    it.each<[string, unknown]>([
      ["an unknown query", { ...body, query: "dump" }],
      ["an unknown legacy op", { ...body, query: undefined, op: "dump" }],
      ["no query", { ...body, query: undefined }],
      ["a NUL in the purpose", { ...body, purpose: "a\u0000b" }],
      ["a short token", { ...body, token: "t" }],
      ["args that are not an object", { ...body, args: [1] }],
      ["no body", null],
    ])("rejects %s", (_what, raw) => {
      expect(InternalQueryBody.safeParse(raw).success).toBe(false);
    });
  });
});
