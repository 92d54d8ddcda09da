import { openSelector, sealSelector, type SelectorKeyRing } from "@interforce/auth";
import { badInput } from "@interforce/server-kit";

/** The most items one page of any hub list holds. */
export const MAX_PAGE = 100;

export function checkFirst(first: number): void {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) throw badInput(`first must be between 1 and ${MAX_PAGE}`, "first");
}

// A cursor is sealed (AES-GCM under the hub's current selector key) so that it is opaque to
// the client and carries nothing of a record it may not see: the key of the last row read can
// be the id of a forum or alert the page itself withholds. The prefix keeps a cursor apart
// from a sealed selector.
const PREFIX = "cursor:";

export const encodeCursor = (keys: SelectorKeyRing, v: unknown): string => sealSelector(keys, PREFIX + JSON.stringify(v));

/** What a cursor this hub issued (under any key of its ring) holds; null for anything else. */
export function openCursor(keys: SelectorKeyRing, cursor: string): unknown {
  const text = cursor.length <= 2000 ? openSelector(keys, cursor) : null;
  if (!text?.startsWith(PREFIX)) return null;
  try {
    return JSON.parse(text.slice(PREFIX.length)) as unknown;
  } catch {
    return null;
  }
}

/** The key a cursor holds, when it is one this hub issued and of the expected shape. */
export function decodeCursor<T>(keys: SelectorKeyRing, after: string | null | undefined, check: (v: unknown) => v is T): T | null {
  if (after == null) return null;
  const v = openCursor(keys, after);
  if (v !== null && check(v)) return v;
  throw badInput("after is not a cursor returned by this API", "after");
}

/** A (time, id) keyset cursor; the time must be one PostgreSQL can hold, the id a plain string. */
export function isTimeKey(v: unknown): v is { t: string; id: string } {
  if (typeof v !== "object" || v === null) return false;
  const { t, id } = v as { t?: unknown; id?: unknown };
  if (typeof t !== "string" || typeof id !== "string" || id.length > 100) return false;
  const year = new Date(t).getUTCFullYear();
  return year >= 1970 && year <= 9999;
}

export const isForumKey = (v: unknown): v is { f: string } =>
  typeof v === "object" && v !== null && typeof (v as { f?: unknown }).f === "string" && (v as { f: string }).f.length <= 100;

/** A position in a list the hub ranks in memory (search hits). */
export const isOffsetKey = (v: unknown): v is { o: number } =>
  typeof v === "object" && v !== null && Number.isInteger((v as { o?: unknown }).o) && (v as { o: number }).o >= 0;

/** A (name, id) keyset cursor, for lists in name order. */
export const isNameKey = (v: unknown): v is { n: string; id: string } =>
  typeof v === "object" &&
  v !== null &&
  typeof (v as { n?: unknown }).n === "string" &&
  typeof (v as { id?: unknown }).id === "string" &&
  (v as { id: string }).id.length <= 100;

/** A version-number cursor, for histories newest first. */
export const isVersionKey = (v: unknown): v is { v: number } =>
  typeof v === "object" && v !== null && Number.isInteger((v as { v?: unknown }).v) && (v as { v: number }).v > 0;

/** The cursor's time in the form PostgreSQL is given. */
export const timeKey = (k: { t: string; id: string } | null) => (k ? { t: new Date(k.t).toISOString(), id: k.id } : null);

/**
 * A timestamp column as the exact text a keyset cursor must carry: PostgreSQL keeps microseconds,
 * which a JavaScript Date would round away (and a page could then skip a row).
 */
export const exactTime = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
