import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";

/**
 * Sealed references. A record that names another record (a link's ends, the forum of a
 * monitoring assignment, the identity and forum of a sighting) carries the other record's
 * global id to the hub as a federation key. The key must not show the id to anyone the
 * record's owner would not show it to, not even to a caller of a subgraph's `_entities`: so
 * it travels sealed (AES-256-GCM under a key derived from the sealing force's service
 * secret, a fresh nonce each time, so two sealings of one id do not match), and only the hub,
 * which holds the forces' secrets, opens it and asks the owner before answering the record.
 *
 * Format: `ref.<ORG>.<base64url(nonce | ciphertext | tag)>`, ORG being the org whose secret sealed it.
 */
const PREFIX = "ref.";
const INFO = "interforce sealed reference v1";
const MAX_ID = 200;

const keyFor = (secret: string) => createHmac("sha256", secret).update(INFO).digest();

export function sealRef(secret: string, org: string, id: string): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyFor(secret), nonce);
  cipher.setAAD(Buffer.from(org));
  const body = Buffer.concat([cipher.update(id, "utf8"), cipher.final()]);
  return `${PREFIX}${org}.${Buffer.concat([nonce, body, cipher.getAuthTag()]).toString("base64url")}`;
}

/** The org whose secret sealed `token`, or null when it is not a sealed reference. */
export function sealedBy(token: string): string | null {
  if (typeof token !== "string" || !token.startsWith(PREFIX)) return null;
  const org = token.slice(PREFIX.length).split(".")[0] ?? "";
  return /^[A-Z][A-Z0-9_]{1,31}$/.test(org) ? org : null;
}

/** The id sealed in `token`, or null for anything not sealed by `secret` (forged, altered, truncated). */
export function openRef(secret: string, token: string): string | null {
  const org = sealedBy(token);
  if (!org || token.length > 1000) return null;
  const raw = Buffer.from(token.slice(PREFIX.length + org.length + 1), "base64url");
  if (raw.length < 12 + 16 + 1 || raw.length > 12 + 16 + MAX_ID) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", keyFor(secret), raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(org));
    decipher.setAuthTag(raw.subarray(raw.length - 16));
    return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}
