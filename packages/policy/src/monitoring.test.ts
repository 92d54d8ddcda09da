import { describe, expect, it } from "vitest";
import type { Principal, Role } from "@interforce/domain";
import { mayKnowAssignment } from "./monitoring.js";
import { mayReadSighting } from "./sightings.js";

const p = (org: string, roles: Role[], over: Partial<Principal> = {}): Principal => ({
  sub: "t",
  org,
  roles,
  clearance: "OFFICIAL_SENSITIVE",
  covert: false,
  ...over,
});
const overt = { org: "KENT", covert: false, classification: "OFFICIAL" as const };
const covert = { ...overt, covert: true };

describe("mayKnowAssignment", () => {
  it("hides another org's covert assignment from everyone but the CEOP desk with the covert claim", () => {
    expect(mayKnowAssignment(p("ESSEX", ["ANALYST"]), covert, true)).toBe(false);
    expect(mayKnowAssignment(p("ESSEX", ["ANALYST"], { covert: true }), covert, true)).toBe(false);
    expect(mayKnowAssignment(p("CEOP", ["ANALYST"], { covert: true }), covert, false)).toBe(true);
    expect(mayKnowAssignment(p("CEOP", ["FORCE_ADMIN"], { covert: true }), covert, false)).toBe(true);
    expect(mayKnowAssignment(p("CEOP", ["OFFICER"], { covert: true }), covert, true)).toBe(false);
  });

  it("shows the desk without the covert claim only overt assignments, partners or not", () => {
    expect(mayKnowAssignment(p("CEOP", ["ANALYST"]), covert, true)).toBe(false);
    expect(mayKnowAssignment(p("CEOP", ["FORCE_ADMIN"]), covert, true)).toBe(false);
    expect(mayKnowAssignment(p("CEOP", ["FORCE_ADMIN"]), overt, false)).toBe(true);
  });

  it("shows an overt assignment to analysts of partner orgs only", () => {
    expect(mayKnowAssignment(p("ESSEX", ["ANALYST"]), overt, true)).toBe(true);
    expect(mayKnowAssignment(p("ESSEX", ["ANALYST"]), overt, false)).toBe(false);
    expect(mayKnowAssignment(p("ESSEX", ["OFFICER"]), overt, true)).toBe(false);
  });

  it("shows the assigning org its own, covert ones only with the covert claim", () => {
    expect(mayKnowAssignment(p("KENT", ["OFFICER"]), overt, false)).toBe(true);
    expect(mayKnowAssignment(p("KENT", ["OFFICER"]), covert, false)).toBe(false);
    expect(mayKnowAssignment(p("KENT", ["OFFICER"], { covert: true }), covert, false)).toBe(true);
    expect(mayKnowAssignment(p("KENT", ["POLICY_ADMIN"]), overt, false)).toBe(false);
  });

  it("needs clearance for the classification, whoever asks", () => {
    const secret = { ...overt, classification: "SECRET" as const };
    for (const who of [p("KENT", ["OFFICER"]), p("CEOP", ["ANALYST"]), p("ESSEX", ["ANALYST"])]) expect(mayKnowAssignment(who, secret, true)).toBe(false);
  });
});

describe("mayReadSighting", () => {
  const s = { org: "NORFOLK", identityOrg: "KENT", classification: "OFFICIAL" as const };
  it("tells the sighting org and the identity's owner, nobody else", () => {
    expect(mayReadSighting(p("NORFOLK", ["OFFICER"]), s)).toBe(true);
    expect(mayReadSighting(p("KENT", ["ANALYST"]), s)).toBe(true);
    expect(mayReadSighting(p("CEOP", ["ANALYST"]), s)).toBe(false);
    expect(mayReadSighting(p("KENT", ["POLICY_ADMIN"]), s)).toBe(false);
    expect(mayReadSighting(p("KENT", ["ANALYST"], { clearance: "OFFICIAL" }), { ...s, classification: "SECRET" })).toBe(false);
  });
});
