import { describe, expect, it } from "vitest";
import type { Principal } from "@interforce/domain";
import { writeCeiling } from "./writes.js";
import type { PolicyRecord } from "./types.js";

const who = (over: Partial<Principal> = {}): Principal => ({
  sub: "o",
  org: "KENT",
  roles: ["OFFICER"],
  clearance: "OFFICIAL_SENSITIVE",
  covert: false,
  ...over,
});
const rec = (over: Partial<PolicyRecord> = {}): PolicyRecord => ({
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

describe("writeCeiling", () => {
  it("lets a writer record what it may read", () => {
    expect(writeCeiling(who(), rec({ classification: "OFFICIAL_SENSITIVE" }))).toBeNull();
    expect(writeCeiling(who({ covert: true, clearance: "SECRET" }), rec({ covert: true, classification: "SECRET" }))).toBeNull();
  });
  it("refuses a classification above the writer's clearance, naming the field", () => {
    expect(writeCeiling(who(), rec({ classification: "SECRET" }))?.field).toBe("classification");
  });
  it("refuses a covert record without the covert claim, naming the field", () => {
    expect(writeCeiling(who(), rec({ covert: true }))?.field).toBe("covert");
  });
});
