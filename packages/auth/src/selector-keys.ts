import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { interforceHome, publishOnce } from "./keys.js";

/**
 * The hub's selector index stores no selector in a form a thief of its database could read or
 * brute-force: exact selectors as HMAC-SHA256 under a selector key, fuzzy handles as keyed
 * trigram "letters", and the few copies it must show back (the selector of an alert, what a
 * search asked for in the audit) sealed with AES-256-GCM. The keys live outside the database:
 * in the hub's `SELECTOR_KEYS` environment variable, which the launcher fills from
 * `<INTERFORCE_HOME>/keys/selector-keys` in development and an operator from a secret store in
 * production.
 *
 * A key ring lists keys newest first: the first keys what the hub writes, and searches look
 * under every key of the ring, so a key is rotated by putting a new one first, letting the
 * forces republish their selectors (`npm run index:republish`), and then dropping the old one.
 */
export type SelectorKey = { id: string; mac: Buffer; permutation: Buffer; seal: Buffer };
export type SelectorKeyRing = { current: SelectorKey; keys: SelectorKey[] };

const KEY_ID = /^[a-z0-9]{1,16}$/;
const SECRET = /^[0-9a-f]{64}$/;

function deriveKey(id: string, secretHex: string): SelectorKey {
  const ikm = Buffer.from(secretHex, "hex");
  const sub = (info: string) => Buffer.from(hkdfSync("sha256", ikm, Buffer.from(`interforce selector key ${id}`), info, 32));
  return { id, mac: sub("exact selectors v1"), permutation: sub("trigram permutation v1"), seal: sub("sealed selectors v1") };
}

/** Parses `id:hex64,id:hex64,…` (newest first), as the hub reads it from SELECTOR_KEYS. */
export function parseSelectorKeys(spec: string): SelectorKeyRing {
  const entries = spec
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new Error("SELECTOR_KEYS must list at least one key as id:secret");
  const keys = entries.map((entry) => {
    const [id = "", secret = "", ...rest] = entry.split(/[:\s]+/);
    if (rest.length > 0 || !KEY_ID.test(id) || !SECRET.test(secret)) {
      throw new Error("each SELECTOR_KEYS entry must be id:secret, the id 1-16 lower-case letters or digits, the secret 32 hex-encoded bytes");
    }
    return deriveKey(id, secret);
  });
  if (new Set(keys.map((k) => k.id)).size !== keys.length) throw new Error("SELECTOR_KEYS lists a key id twice");
  return { current: keys[0]!, keys };
}

export function selectorKeysPath(home: string = interforceHome()): string {
  return join(home, "keys", "selector-keys");
}

/** The development key ring: made on first use in the Interforce home, never in the repository or a database. */
export function ensureSelectorKeys(home: string = interforceHome()): string {
  const path = selectorKeysPath(home);
  mkdirSync(join(home, "keys"), { recursive: true, mode: 0o700 });
  if (!existsSync(path)) publishOnce(path, `k1:${randomBytes(32).toString("hex")}\n`);
  const spec = readFileSync(path, "utf8").trim();
  parseSelectorKeys(spec);
  return spec.split(/\s*\n\s*/).join(",");
}

/** HMAC-SHA256 of a normalised selector (handle@platform, or a force's email/phone hash) under one key. */
export function keyedSelector(key: SelectorKey, selector: string): string {
  return createHmac("sha256", key.mac).update(`selector\u0000${selector}`).digest("base64url");
}

/** HMAC of a normalised handle alone, for exact handle search across platforms. */
export function keyedHandle(key: SelectorKey, handleKey: string): string {
  return createHmac("sha256", key.mac).update(`handle\u0000${handleKey}`).digest("base64url");
}

// ---- fuzzy matching on keyed trigrams -------------------------------------------------

const ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";

/** Every trigram pg_trgm can take from a normalised handle (one word of [a-z0-9], padded "  w "). */
function allTrigrams(): string[] {
  const out: string[] = [];
  for (const x of ALNUM) {
    out.push(`  ${x}`, ` ${x} `);
    for (const y of ALNUM) {
      out.push(` ${x}${y}`, `${x}${y} `);
      for (const z of ALNUM) out.push(`${x}${y}${z}`);
    }
  }
  return out;
}
export const TRIGRAM_COUNT = 36 * 2 + 36 * 36 * 2 + 36 ** 3;

/**
 * Code points PostgreSQL's pg_trgm counts as one-letter words under a UTF-8 ctype (CJK
 * ideographs and Hangul syllables: letters with no case), enough for every trigram. The hub
 * checks at start that its database treats every one of them so, and refuses to start if not.
 */
const LETTER_RANGES: [number, number][] = [
  [0x4e00, 0x9fff],
  [0xac00, 0xd7a3],
  [0x3400, 0x4dbf],
  [0x20000, 0x2a6df],
];
export function trigramLetters(): string[] {
  const out: string[] = [];
  for (const [from, to] of LETTER_RANGES) {
    for (let cp = from; cp <= to && out.length < TRIGRAM_COUNT; cp++) out.push(String.fromCodePoint(cp));
  }
  return out;
}

const permutations = new WeakMap<SelectorKey, Map<string, string>>();

/** A secret one-to-one map of trigrams to letters: sorted by their HMAC under the key, then dealt the letters in order. */
function permutation(key: SelectorKey): Map<string, string> {
  let map = permutations.get(key);
  if (map) return map;
  const letters = trigramLetters();
  const ranked = allTrigrams()
    .map((t) => ({ t, h: createHmac("sha256", key.permutation).update(t).digest("hex") }))
    .sort((a, b) => (a.h < b.h ? -1 : a.h > b.h ? 1 : 0));
  map = new Map(ranked.map((r, i) => [r.t, letters[i]!]));
  permutations.set(key, map);
  return map;
}

/** The letter each trigram is dealt under a key: what a thief without the key must guess (the attack benchmark scores guesses against it). */
export function trigramLetter(key: SelectorKey, trigram: string): string | null {
  return permutation(key).get(trigram) ?? null;
}

/** The trigrams pg_trgm takes from a normalised handle (one word of [a-z0-9]). */
export function handleTrigrams(handleKey: string): string[] {
  const padded = `  ${handleKey} `;
  const set = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i++) set.add(padded.slice(i, i + 3));
  return [...set];
}

/**
 * A normalised handle as keyed words: each of its trigrams replaced by its secret letter,
 * sorted, one letter per word. pg_trgm takes exactly two trigrams from each one-letter word
 * and shares none between different letters, so `similarity()` of two such strings equals the
 * plain similarity of the two handles, and its GIN index serves `%` as it would on the
 * handles. Null for a handle with nothing to match on.
 */
export function keyedHandleWords(key: SelectorKey, handleKey: string): string | null {
  if (!/^[a-z0-9]+$/.test(handleKey)) return null;
  const map = permutation(key);
  return handleTrigrams(handleKey)
    .map((t) => map.get(t)!)
    .sort()
    .join(" ");
}

// ---- sealed copies ----------------------------------------------------------------------

const SEALED = /^s1\.([a-z0-9]{1,16})\.([A-Za-z0-9_-]+)$/;

/** A selector sealed for showing back to those entitled to it: `s1.<key id>.<base64url(nonce | ciphertext | tag)>`. */
export function sealSelector(ring: SelectorKeyRing, selector: string): string {
  const key = ring.current;
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key.seal, nonce);
  cipher.setAAD(Buffer.from(key.id));
  const body = Buffer.concat([cipher.update(selector, "utf8"), cipher.final()]);
  return `s1.${key.id}.${Buffer.concat([nonce, body, cipher.getAuthTag()]).toString("base64url")}`;
}

/** The selector in a sealed copy, or null for anything not sealed under a key of the ring. */
export function openSelector(ring: SelectorKeyRing, sealed: string | null): string | null {
  const m = typeof sealed === "string" ? SEALED.exec(sealed) : null;
  const key = m && ring.keys.find((k) => k.id === m[1]);
  if (!m || !key) return null;
  const raw = Buffer.from(m[2]!, "base64url");
  if (raw.length < 12 + 16 + 1) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key.seal, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(key.id));
    decipher.setAuthTag(raw.subarray(raw.length - 16));
    return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}
