import { badInput } from "@interforce/server-kit";

const MAX_PAGE = 100;

/**
 * `first` and `after` of a list paged by offset: `after` is the number of items already
 * read, as the previous page's answer implies; at most `maxOffset` when given.
 */
export function offsetPage(first: number, after: string | null, maxOffset = Number.MAX_SAFE_INTEGER): { limit: number; offset: number } {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) throw badInput(`first must be between 1 and ${MAX_PAGE}`, "first");
  const offset = after == null ? 0 : Number(after);
  if (!Number.isInteger(offset) || offset < 0 || offset > maxOffset) throw badInput("after is not a cursor returned by this API", "after");
  return { limit: first, offset };
}
