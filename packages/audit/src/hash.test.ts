import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GENESIS_HASH, canonicalEvent, canonicalJson, hashEvent, type ChainedEventFields } from "./hash.js";

const base: ChainedEventFields = {
  at: new Date("2024-11-25T10:15:30.123Z"),
  sub: "analyst.jones",
  org: "KENT",
  roles: ["ANALYST"],
  purpose: "Operation Larch",
  operation: "search",
  action: "CONSULTATION",
  requestId: "req-1",
  recordIds: ["KENT:identity:1"],
  recordKinds: ["identity"],
  levels: ["FULL"],
  reasons: ["own-force"],
  recipientOrg: null,
  detail: { selector: "darkangel99@snapchat", hits: 1 },
};

describe("canonical event and hash", () => {
  it("has a documented, fixed layout that an auditor can reproduce", () => {
    const canonical =
      '{"at":"2024-11-25T10:15:30.123Z","sub":"analyst.jones","org":"KENT","roles":["ANALYST"],' +
      '"purpose":"Operation Larch","operation":"search","action":"CONSULTATION","request_id":"req-1",' +
      '"record_ids":["KENT:identity:1"],"record_kinds":["identity"],"levels":["FULL"],"reasons":["own-force"],' +
      '"recipient_org":null,"detail":{"hits":1,"selector":"darkangel99@snapchat"}}';
    expect(GENESIS_HASH).toBe("0".repeat(64));
    expect(canonicalEvent(base)).toBe(canonical);
    expect(hashEvent(GENESIS_HASH, base)).toBe(createHash("sha256").update(`${GENESIS_HASH}\n${canonical}`).digest("hex"));
  });

  it("takes the time as a Date or an ISO string, at millisecond precision", () => {
    expect(hashEvent(GENESIS_HASH, { ...base, at: "2024-11-25T10:15:30.123Z" })).toBe(hashEvent(GENESIS_HASH, base));
    expect(hashEvent(GENESIS_HASH, { ...base, at: "2024-11-25T11:15:30.123+01:00" })).toBe(hashEvent(GENESIS_HASH, base));
    expect(() => hashEvent(GENESIS_HASH, { ...base, at: "yesterday" })).toThrow(RangeError);
  });

  it("changes with the previous hash and with every field", () => {
    const h = hashEvent(GENESIS_HASH, base);
    expect(hashEvent("f".repeat(64), base)).not.toBe(h);
    const changes: Partial<ChainedEventFields>[] = [
      { at: new Date("2024-11-25T10:15:30.124Z") },
      { sub: "analyst.jone" },
      { sub: null },
      { org: "ESSEX" },
      { roles: ["ANALYST", "OFFICER"] },
      { roles: null },
      { purpose: null },
      { operation: "_entities" },
      { action: "DISCLOSURE" },
      { requestId: "req-2" },
      { recordIds: ["KENT:identity:2"] },
      { recordKinds: ["forum"] },
      { levels: ["POINTER"] },
      { reasons: ["covert"] },
      { recipientOrg: "ESSEX" },
      { detail: { selector: "darkangel99@snapchat", hits: 2 } },
      { detail: {} },
    ];
    const hashes = changes.map((c) => hashEvent(GENESIS_HASH, { ...base, ...c }));
    expect(new Set([h, ...hashes]).size).toBe(changes.length + 1);
  });

  it("cannot be fooled by moving text between fields", () => {
    const a = hashEvent(GENESIS_HASH, { ...base, sub: "a,b", org: "c" });
    const b = hashEvent(GENESIS_HASH, { ...base, sub: "a", org: "b,c" });
    expect(a).not.toBe(b);
  });

  it("ignores object key order in detail, at any depth, and follows JSON.stringify otherwise", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const shuffled = JSON.parse(
          JSON.stringify(value, (_k, v) => (v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v)),
        );
        expect(canonicalJson(shuffled)).toBe(canonicalJson(value));
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
    expect(canonicalJson({ b: 1, a: { d: [new Date(0), undefined, Number.NaN], c: undefined } })).toBe(
      '{"a":{"d":["1970-01-01T00:00:00.000Z",null,null]},"b":1}',
    );
    expect(() => canonicalJson(1n)).toThrow(TypeError);
  });
});
