import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { formatGlobalId } from "@interforce/domain";
import { PolicyFeedRequest, PolicyFeedResponse, type PolicyFeed } from "./policy-feed.js";

const feed: PolicyFeed = {
  agreements: [
    {
      id: randomUUID(),
      name: "Eastern Region Joint Monitoring",
      members: ["KENT", "NORFOLK", "CEOP"],
      kinds: ["identity", "forum"],
      maxClassification: "OFFICIAL_SENSITIVE",
      status: "ACTIVE",
      validFrom: new Date("2024-01-01T00:00:00.000Z"),
      validTo: null,
    },
  ],
  grants: [{ recordId: formatGlobalId("KENT", "identity", randomUUID()), org: "ESSEX", expiresAt: new Date("2030-01-01T00:00:00.000Z") }],
};

type Wire = { agreements: Record<string, unknown>[]; grants: Record<string, unknown>[] };
/** What the hub puts on the wire, as JSON text and back. */
const onTheWire = (value: unknown) => JSON.parse(JSON.stringify(value)) as Wire;

describe("policy feed", () => {
  it("round-trips: the hub encodes Dates as ISO strings, the force parses them back into Dates", () => {
    const wire = z.encode(PolicyFeedResponse, feed);
    expect(wire.agreements[0]!.validFrom).toBe("2024-01-01T00:00:00.000Z");
    expect(wire.grants[0]!.expiresAt).toBe("2030-01-01T00:00:00.000Z");
    expect(PolicyFeedResponse.parse(onTheWire(wire))).toEqual(feed);
  });

  it("reads what hubs before the contracts package sent (JSON.stringify of the rows)", () => {
    expect(PolicyFeedResponse.parse(onTheWire(feed))).toEqual(feed);
  });

  it("parses an empty feed", () => {
    expect(PolicyFeedResponse.parse({ agreements: [], grants: [] })).toEqual({ agreements: [], grants: [] });
  });

  it.each<[string, (w: Wire) => unknown]>([
    ["an unknown agreement status", (w) => ({ ...w, agreements: [{ ...w.agreements[0], status: "PAUSED" }] })],
    ["an unknown record kind", (w) => ({ ...w, agreements: [{ ...w.agreements[0], kinds: ["sighting"] }] })],
    ["a date that is not ISO", (w) => ({ ...w, agreements: [{ ...w.agreements[0], validFrom: "1 Jan 2024" }] })],
    ["a missing validTo", (w) => ({ ...w, agreements: [{ ...w.agreements[0], validTo: undefined }] })],
    ["a grant without expiry", (w) => ({ ...w, grants: [{ ...w.grants[0], expiresAt: null }] })],
    ["no grants", (w) => ({ agreements: w.agreements })],
  ])("rejects a response with %s", (_what, change) => {
    expect(PolicyFeedResponse.safeParse(change(onTheWire(feed))).success).toBe(false);
  });

  it("refuses to encode what it could not parse back", () => {
    expect(() => z.encode(PolicyFeedResponse, { ...feed, agreements: [{ ...feed.agreements[0]!, status: "PAUSED" as never }] })).toThrow();
  });

  it("takes no parameters", () => {
    expect(PolicyFeedRequest.parse({})).toEqual({});
    expect(PolicyFeedRequest.safeParse({ org: "NORFOLK" }).success).toBe(false);
  });
});
