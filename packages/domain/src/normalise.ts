import { createHash } from "node:crypto";

/**
 * Handle normalisation for selector matching: case-folded, common confusables folded to
 * ASCII (look-alike digits included), separators and decorations stripped, so `D4rk_Angel.99` and `dark angel 99`
 * produce the same key.
 */
const CONFUSABLES: Record<string, string> = {
  "0": "o",
  "1": "i",
  "3": "e",
  "4": "a",
  "5": "s",
  "7": "t",
  "8": "b",
  "@": "a",
  $: "s",
  "|": "l",
  // Cyrillic and Greek look-alikes
  а: "a",
  е: "e",
  о: "o",
  р: "p",
  с: "c",
  у: "y",
  х: "x",
  і: "i",
  ј: "j",
  ѕ: "s",
  к: "k",
  м: "m",
  т: "t",
  в: "b",
  н: "h",
  α: "a",
  β: "b",
  ε: "e",
  ι: "i",
  κ: "k",
  ν: "v",
  ο: "o",
  ρ: "p",
  τ: "t",
  υ: "u",
  χ: "x",
};

export function normaliseHandle(handle: string): string {
  const folded = handle
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase();
  let out = "";
  for (const ch of folded) {
    const mapped = CONFUSABLES[ch] ?? ch;
    if (/[a-z0-9]/.test(mapped)) out += mapped;
  }
  return out;
}

/** The selector key stored in the hub's index: `<normalised handle>@<platform>`. */
export function handleSelector(handle: string, platform: string): string {
  return `${normaliseHandle(handle)}@${platform.toLowerCase()}`;
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{2,63}$/;

/**
 * Emails and phone numbers are exchanged only as salted-by-purpose SHA-256 hashes of a
 * normal form, so two forces holding the same address match without either disclosing it.
 */
function hashSelector(kind: "email" | "phone", normal: string): string {
  return `${kind}:${createHash("sha256").update(`interforce:${kind}:${normal}`).digest("hex")}`;
}

export function normaliseEmail(email: string): string | null {
  const e = email.trim().toLowerCase();
  return EMAIL.test(e) ? e : null;
}

/** UK-first: `07700 900123`, `+44 7700 900123` and `0044 7700900123` are one number. */
export function normalisePhone(phone: string): string | null {
  if (!/^[\d\s()+.-]{7,25}$/.test(phone.trim())) return null;
  let digits = phone.replace(/\D/g, "");
  if (digits.startsWith("00")) digits = digits.slice(2);
  else if (digits.startsWith("0")) digits = `44${digits.slice(1)}`;
  return digits.length >= 7 && digits.length <= 15 ? digits : null;
}

export function emailSelector(email: string): string | null {
  const n = normaliseEmail(email);
  return n ? hashSelector("email", n) : null;
}

export function phoneSelector(phone: string): string | null {
  const n = normalisePhone(phone);
  return n ? hashSelector("phone", n) : null;
}
