import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  handleTrigrams,
  keyedHandle,
  keyedHandleWords,
  keyedSelector,
  openSelector,
  parseSelectorKeys,
  sealSelector,
  TRIGRAM_COUNT,
  trigramLetters,
} from "./selector-keys.js";

const ring = (...ids: string[]) => parseSelectorKeys(ids.map((id) => `${id}:${randomBytes(32).toString("hex")}`).join(","));

describe("selector keys", () => {
  it("key a selector the same way every time under one key, and differently under another", () => {
    const a = ring("k1");
    const b = ring("k1");
    expect(keyedSelector(a.current, "darkangel99@snapchat")).toBe(keyedSelector(a.current, "darkangel99@snapchat"));
    expect(keyedSelector(a.current, "darkangel99@snapchat")).not.toBe(keyedSelector(b.current, "darkangel99@snapchat"));
    expect(keyedSelector(a.current, "darkangel99@snapchat")).not.toContain("darkangel");
    // A handle alone and a selector never share a keyed form.
    expect(keyedHandle(a.current, "x@y")).not.toBe(keyedSelector(a.current, "x@y"));
  });

  it("give every possible trigram its own letter, so similarity is kept exactly", () => {
    expect(new Set(trigramLetters()).size).toBe(TRIGRAM_COUNT);
    const k = ring("k1").current;
    const words = (h: string) => new Set(keyedHandleWords(k, h)!.split(" "));
    // One letter per trigram: the keyed form of a handle has as many words as the handle has trigrams.
    for (const h of ["a", "ab", "darkangel99", "aaaaaa"]) expect(words(h).size).toBe(handleTrigrams(h).length);
    // Shared letters are shared trigrams.
    const shared = [...words("darkangel99")].filter((w) => words("darkangel9").has(w)).length;
    const plainShared = handleTrigrams("darkangel99").filter((t) => handleTrigrams("darkangel9").includes(t)).length;
    expect(shared).toBe(plainShared);
    // Another key deals other letters.
    expect(keyedHandleWords(ring("k1").current, "darkangel99")).not.toBe(keyedHandleWords(k, "darkangel99"));
    expect(keyedHandleWords(k, "Dark Angel")).toBeNull();
  });

  it("open only what they sealed, under any key of the ring", () => {
    const old = ring("k1");
    const sealed = sealSelector(old, "email:abc");
    expect(sealed).not.toContain("abc");
    expect(sealSelector(old, "email:abc")).not.toBe(sealed);
    expect(openSelector(old, sealed)).toBe("email:abc");
    const rotated = parseSelectorKeys(`k2:${randomBytes(32).toString("hex")},k1:${"0".repeat(64)}`);
    expect(openSelector(rotated, sealed)).toBeNull();
    expect(openSelector(ring("k1"), sealed)).toBeNull();
    // Flip one bit of the tag (not a padding bit of the text form): the seal no longer opens.
    const [head, body] = [sealed.slice(0, sealed.lastIndexOf(".") + 1), sealed.slice(sealed.lastIndexOf(".") + 1)];
    const tampered = Buffer.from(body, "base64url");
    tampered[tampered.length - 1]! ^= 1;
    expect(openSelector(old, `${head}${tampered.toString("base64url")}`)).toBeNull();
    expect(openSelector(old, "plain")).toBeNull();
    expect(openSelector(old, null)).toBeNull();
  });

  it("refuse a ring that is empty, malformed or names a key twice", () => {
    expect(() => parseSelectorKeys("")).toThrow(/at least one key/);
    expect(() => parseSelectorKeys("k1:abcd")).toThrow(/32 hex-encoded bytes/);
    expect(() => parseSelectorKeys(`K1:${"a".repeat(64)}`)).toThrow(/lower-case/);
    expect(() => parseSelectorKeys(`k1:${"a".repeat(64)},k1:${"b".repeat(64)}`)).toThrow(/twice/);
    const r = parseSelectorKeys(`k2:${"a".repeat(64)}\nk1:${"b".repeat(64)}`);
    expect(r.current.id).toBe("k2");
    expect(r.keys.map((k) => k.id)).toEqual(["k2", "k1"]);
  });
});
