import { describe, expect, it } from "vitest";
import type { Principal } from "@interforce/domain";
import { decide } from "./decide.js";
import type { Agreement, PolicyRecord } from "./types.js";

const now = new Date("2026-06-01T12:00:00Z");
const agreement = (over: Partial<Agreement> = {}): Agreement => ({
  id: "a1",
  name: "Eastern Region Joint Monitoring",
  members: ["NORFOLK", "KENT", "ESSEX", "CEOP"],
  kinds: ["identity", "forum", "link"],
  maxClassification: "OFFICIAL_SENSITIVE",
  status: "ACTIVE",
  validFrom: new Date("2026-01-01T00:00:00Z"),
  validTo: null,
  ...over,
});
const record = (over: Partial<PolicyRecord> = {}): PolicyRecord => ({
  owner: "KENT",
  kind: "identity",
  classification: "OFFICIAL",
  handling: "P",
  handlingOrgs: [],
  covert: false,
  reviewDue: null,
  ...over,
});
const who = (over: Partial<Principal> = {}): Principal => ({
  sub: "analyst",
  org: "ESSEX",
  roles: ["ANALYST"],
  clearance: "OFFICIAL_SENSITIVE",
  covert: false,
  ...over,
});

describe("decide", () => {
  it("gives the owner FULL", () => {
    expect(decide(who({ org: "KENT" }), record(), [], now)).toEqual({ level: "FULL", reason: "owner" });
  });

  it("gives a member of an agreement in force FULL", () => {
    expect(decide(who(), record(), [agreement()], now).level).toBe("FULL");
  });

  it.each([
    ["no agreement", record(), []],
    ["an agreement without the reader's org", record(), [agreement({ members: ["KENT", "NORFOLK"] })]],
    ["a suspended agreement", record(), [agreement({ status: "SUSPENDED" })]],
    ["a revoked agreement", record(), [agreement({ status: "REVOKED" })]],
    ["an agreement not yet valid", record(), [agreement({ validFrom: new Date("2026-07-01T00:00:00Z") })]],
    ["an expired agreement", record(), [agreement({ validTo: new Date("2026-05-01T00:00:00Z") })]],
    ["an agreement not covering the kind", record({ kind: "forum" }), [agreement({ kinds: ["identity"] })]],
    ["a record above the agreement's ceiling", record({ classification: "SECRET" }), [agreement()]],
    ["a covert record", record({ covert: true }), [agreement()]],
    ["a record past its review date", record({ reviewDue: new Date("2026-05-31T00:00:00Z") }), [agreement()]],
    ["handling C without the reader named", record({ handling: "C", handlingOrgs: ["CEOP"] }), [agreement()]],
  ] as const)("gives another org NONE with %s", (_name, rec, agreements) => {
    expect(decide(who(), rec, agreements, now).level).toBe("NONE");
  });

  it("gives NONE to a principal cleared below the classification, owner included", () => {
    expect(decide(who({ clearance: "OFFICIAL" }), record({ classification: "OFFICIAL_SENSITIVE" }), [agreement()], now).level).toBe("NONE");
    expect(decide(who({ org: "KENT", clearance: "OFFICIAL" }), record({ classification: "SECRET" }), [], now).level).toBe("NONE");
  });

  it("gives handling C to the named org", () => {
    expect(decide(who({ org: "CEOP" }), record({ handling: "C", handlingOrgs: ["CEOP"] }), [agreement()], now).level).toBe("FULL");
  });

  it("shows covert records only to the owner's officers with the covert claim", () => {
    expect(decide(who({ org: "KENT" }), record({ covert: true }), [], now).level).toBe("NONE");
    expect(decide(who({ org: "KENT", covert: true }), record({ covert: true }), [], now).level).toBe("FULL");
    expect(decide(who({ covert: true }), record({ covert: true }), [agreement()], now).level).toBe("NONE");
  });

  it("uses the highest ceiling among the agreements that bind", () => {
    const secretDeal = agreement({ id: "a2", members: ["KENT", "ESSEX"], maxClassification: "SECRET" });
    expect(decide(who({ clearance: "SECRET" }), record({ classification: "SECRET" }), [agreement(), secretDeal], now).level).toBe("FULL");
  });
});
