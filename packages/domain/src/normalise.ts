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
  а: "a", е: "e", о: "o", р: "p", с: "c", у: "y", х: "x", і: "i", ј: "j", ѕ: "s", к: "k", м: "m", т: "t", в: "b", н: "h",
  α: "a", β: "b", ε: "e", ι: "i", κ: "k", ν: "v", ο: "o", ρ: "p", τ: "t", υ: "u", χ: "x",
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
