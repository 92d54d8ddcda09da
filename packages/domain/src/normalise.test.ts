import { describe, expect, it } from "vitest";
import { emailSelector, handleSelector, normaliseHandle, phoneSelector } from "./normalise.js";
import { formatGlobalId, parseGlobalId } from "./ids.js";

describe("normaliseHandle", () => {
  it("matches spellings that differ by case, separators and look-alike digits", () => {
    expect(normaliseHandle("D4rk_Angel.99")).toBe(normaliseHandle("dark angel 99"));
    expect(normaliseHandle("Sh4d0w-F0x")).toBe("shadowfox");
  });

  it("folds Cyrillic and Greek look-alikes and accents to ASCII", () => {
    expect(normaliseHandle("dаrk")).toBe("dark"); // Cyrillic а
    expect(normaliseHandle("Ρaul")).toBe("paul"); // Greek Rho
    expect(normaliseHandle("Zoë")).toBe("zoe");
  });

  it("keeps digits that look like no letter, so different numbers stay different", () => {
    expect(normaliseHandle("user_29")).not.toBe(normaliseHandle("user_96"));
  });

  it("builds a platform-qualified selector", () => {
    expect(handleSelector("D4rk_Angel.99", "SNAPCHAT")).toBe("darkangel99@snapchat");
  });
});

describe("global ids", () => {
  it("round-trips and rejects anything malformed", () => {
    const id = formatGlobalId("KENT", "identity", "0b9c7a4e-3f1d-4c2a-9e8b-1a2b3c4d5e6f");
    expect(parseGlobalId(id)).toEqual({ org: "KENT", kind: "identity", uuid: "0b9c7a4e-3f1d-4c2a-9e8b-1a2b3c4d5e6f" });
    for (const bad of [
      "",
      "KENT",
      "KENT:identity",
      "KENT:person:0b9c7a4e-3f1d-4c2a-9e8b-1a2b3c4d5e6f",
      "kent:identity:0b9c7a4e-3f1d-4c2a-9e8b-1a2b3c4d5e6f",
      "KENT:identity:x' OR 1=1 --",
    ]) {
      expect(parseGlobalId(bad)).toBeNull();
    }
  });
});

describe("email and phone selectors", () => {
  it("hash one normal form for every spelling of the same address or number", () => {
    expect(emailSelector(" Someone@Example.org ")).toBe(emailSelector("someone@example.org"));
    expect(phoneSelector("07700 900123")).toBe(phoneSelector("+44 7700 900123"));
    expect(phoneSelector("0044 (7700) 900-123")).toBe(phoneSelector("07700900123"));
    expect(emailSelector("someone@example.org")).toMatch(/^email:[0-9a-f]{64}$/);
    expect(emailSelector("someone@example.org")).not.toContain("someone");
  });

  it("rejects what is not an email or a phone number", () => {
    expect(emailSelector("not an email")).toBeNull();
    expect(phoneSelector("call me")).toBeNull();
    expect(phoneSelector("12")).toBeNull();
  });
});
