import { describe, expect, it } from "vitest";
import { formatOwnedId, parseOwnedId } from "./joint-monitoring.js";

describe("owned ids", () => {
  it("round-trips and rejects other kinds and malformed ids", () => {
    const id = formatOwnedId("KENT", "monitoring", "0b9c7a4e-3f1d-4c2a-9e8b-1a2b3c4d5e6f");
    expect(parseOwnedId(id, "monitoring")).toEqual({ org: "KENT", uuid: "0b9c7a4e-3f1d-4c2a-9e8b-1a2b3c4d5e6f" });
    expect(parseOwnedId(id, "sighting")).toBeNull();
    for (const bad of ["", "KENT:monitoring", "kent:monitoring:0b9c7a4e-3f1d-4c2a-9e8b-1a2b3c4d5e6f", "KENT:forum:0b9c7a4e-3f1d-4c2a-9e8b-1a2b3c4d5e6f"]) {
      expect(parseOwnedId(bad, "monitoring")).toBeNull();
    }
  });
});
