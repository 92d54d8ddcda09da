import { describe, expect, it } from "vitest";
import { openRef, sealedBy, sealRef } from "./sealed-ref.js";

const secret = "k".repeat(40);
const id = "NORFOLK:identity:0b9c7a4e-3f1d-4c2a-9e8b-1a2b3c4d5e6f";

describe("sealed references", () => {
  it("opens what it sealed, and says who sealed it", () => {
    const t = sealRef(secret, "KENT", id);
    expect(sealedBy(t)).toBe("KENT");
    expect(openRef(secret, t)).toBe(id);
  });

  it("shows nothing of the id and never seals it the same way twice", () => {
    const a = sealRef(secret, "KENT", id);
    const b = sealRef(secret, "KENT", id);
    expect(a).not.toBe(b);
    for (const part of ["NORFOLK", "identity", "0b9c7a4e"]) expect(a).not.toContain(part);
  });

  it("refuses another secret, another org's label, an altered or truncated token, and plain ids", () => {
    const t = sealRef(secret, "KENT", id);
    expect(openRef("x".repeat(40), t)).toBeNull();
    expect(openRef(secret, t.replace("ref.KENT.", "ref.ESSEX."))).toBeNull();
    const body = t.slice("ref.KENT.".length);
    const flipped = body.slice(0, 20) + (body[20] === "A" ? "B" : "A") + body.slice(21);
    expect(openRef(secret, `ref.KENT.${flipped}`)).toBeNull();
    expect(openRef(secret, t.slice(0, t.length - 4))).toBeNull();
    for (const bad of [id, "", "ref.", "ref.KENT.", "ref.kent.AAAA", `ref.KENT.${"A".repeat(2000)}`]) expect(openRef(secret, bad)).toBeNull();
  });
});
