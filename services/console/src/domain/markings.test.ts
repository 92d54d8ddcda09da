import { describe, expect, it } from "vitest";
import { classificationLabel, highestClassification } from "./markings";

describe("highestClassification", () => {
  it("is the highest marking shown, whatever the order", () => {
    expect(highestClassification(["OFFICIAL", "SECRET", "OFFICIAL_SENSITIVE"])).toBe("SECRET");
    expect(highestClassification(["OFFICIAL_SENSITIVE", "OFFICIAL"])).toBe("OFFICIAL_SENSITIVE");
  });

  it("is OFFICIAL when nothing marked is on screen", () => {
    expect(highestClassification([])).toBe("OFFICIAL");
  });
});

it("labels OFFICIAL_SENSITIVE as it is written on documents", () => {
  expect(classificationLabel("OFFICIAL_SENSITIVE")).toBe("OFFICIAL-SENSITIVE");
});
