import { describe, expect, it } from "vitest";
import type { Principal } from "@interforce/domain";
import { decide } from "./decide.js";
import type { Agreement, Grant, PolicyRecord } from "./types.js";

const inputs = (agreements: readonly Agreement[], grants: Grant[] = []) => ({ agreements, grants, now });

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
  id: "KENT:identity:0b9c7a4e-3f1d-4c2a-9e8b-1a2b3c4d5e6f",
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
    expect(decide(who({ org: "KENT" }), record(), inputs([]))).toEqual({ level: "FULL", reason: "owner" });
  });

  it("gives a member of an agreement in force FULL", () => {
    expect(decide(who(), record(), inputs([agreement()])).level).toBe("FULL");
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
    expect(decide(who(), rec, inputs(agreements)).level).toBe("NONE");
  });

  it("gives NONE to a principal cleared below the classification, owner included", () => {
    expect(decide(who({ clearance: "OFFICIAL" }), record({ classification: "OFFICIAL_SENSITIVE" }), inputs([agreement()])).level).toBe("NONE");
    expect(decide(who({ org: "KENT", clearance: "OFFICIAL" }), record({ classification: "SECRET" }), inputs([])).level).toBe("NONE");
  });

  it("gives handling C to the named org", () => {
    expect(decide(who({ org: "CEOP" }), record({ handling: "C", handlingOrgs: ["CEOP"] }), inputs([agreement()])).level).toBe("FULL");
  });

  it("shows covert records only to the owner's officers with the covert claim", () => {
    expect(decide(who({ org: "KENT" }), record({ covert: true }), inputs([])).level).toBe("NONE");
    expect(decide(who({ org: "KENT", covert: true }), record({ covert: true }), inputs([])).level).toBe("FULL");
    expect(decide(who({ covert: true }), record({ covert: true }), inputs([agreement()])).level).toBe("NONE");
  });

  it("uses the highest ceiling among the agreements that bind", () => {
    const secretDeal = agreement({ id: "a2", members: ["KENT", "ESSEX"], maxClassification: "SECRET" });
    expect(decide(who({ clearance: "SECRET" }), record({ classification: "SECRET" }), inputs([agreement(), secretDeal])).level).toBe("FULL");
  });
});

describe("decide: roles, hit/no-hit and owner release", () => {
  it("lets only analysts read across forces", () => {
    for (const role of ["OFFICER", "FORCE_ADMIN", "SERVICE", "POLICY_ADMIN"] as const) {
      expect(decide(who({ roles: [role] }), record(), inputs([agreement()])).level).toBe("NONE");
    }
  });

  it("gives a policy admin nothing of its own force's records", () => {
    expect(decide(who({ org: "KENT", roles: ["POLICY_ADMIN"] }), record(), inputs([])).level).toBe("NONE");
  });

  it("turns a search match the analyst may not read into POINTER, but only between partners", () => {
    const secret = record({ classification: "SECRET" });
    expect(decide(who(), secret, inputs([agreement()]), "search")).toEqual({ level: "POINTER", reason: "hit/no-hit: ask the owner's SPOC" });
    expect(decide(who(), secret, inputs([agreement()]), "read").level).toBe("NONE");
    expect(decide(who(), secret, inputs([agreement({ members: ["KENT", "NORFOLK"] })]), "search").level).toBe("NONE");
    expect(decide(who(), secret, inputs([agreement({ status: "REVOKED" })]), "search").level).toBe("NONE");
  });

  it("never gives a covert record as POINTER", () => {
    expect(decide(who(), record({ covert: true }), inputs([agreement()]), "search").level).toBe("NONE");
  });

  it("gives FULL under an owner's grant until it expires, within the reader's clearance", () => {
    const rec = record({ classification: "SECRET", handling: "C", handlingOrgs: ["CEOP"] });
    const grant = { recordId: rec.id, org: "ESSEX", expiresAt: new Date("2026-06-02T00:00:00Z") };
    expect(decide(who({ clearance: "SECRET" }), rec, inputs([], [grant])).level).toBe("FULL");
    expect(decide(who({ clearance: "SECRET" }), rec, { agreements: [], grants: [grant], now: new Date("2026-06-03T00:00:00Z") }).level).toBe("NONE");
    expect(decide(who({ clearance: "OFFICIAL" }), rec, inputs([], [grant])).level).toBe("NONE");
    expect(decide(who({ org: "NORFOLK", clearance: "SECRET" }), rec, inputs([], [grant])).level).toBe("NONE");
  });
});
