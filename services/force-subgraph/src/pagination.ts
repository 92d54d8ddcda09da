import type { ObjectLiteral, SelectQueryBuilder } from "typeorm";
import { badInput } from "@interforce/server-kit";

export const MAX_PAGE = 100;
export const DEFAULT_PAGE = 20;

export interface Page<T> {
  nodes: T[];
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
}

interface Cursor {
  t: string;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function checkFirst(first: number): number {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) {
    throw badInput(`first must be between 1 and ${MAX_PAGE}`, "first");
  }
  return first;
}

function decodeCursor(after: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(after, "base64url").toString("utf8")) as Cursor;
    if (typeof c.t !== "string" || Number.isNaN(Date.parse(c.t)) || !UUID.test(c.id)) throw new Error();
    return c;
  } catch {
    throw badInput("after is not a cursor returned by this API", "after");
  }
}

/** Keyset pagination on (created_at, id) descending: stable under concurrent inserts. */
export async function keysetPage<T extends ObjectLiteral & { id: string; createdAt: Date }>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  first: number,
  after: string | null | undefined,
): Promise<Page<T>> {
  checkFirst(first);
  if (after) {
    const c = decodeCursor(after);
    qb.andWhere(`(${alias}.created_at, ${alias}.id) < (:cursorT, :cursorId)`, { cursorT: c.t, cursorId: c.id });
  }
  const rows = await qb
    .orderBy(`${alias}.created_at`, "DESC")
    .addOrderBy(`${alias}.id`, "DESC")
    .limit(first + 1)
    .getMany();
  const nodes = rows.slice(0, first);
  const last = nodes[nodes.length - 1];
  return {
    nodes,
    pageInfo: {
      hasNextPage: rows.length > first,
      endCursor: last ? Buffer.from(JSON.stringify({ t: last.createdAt.toISOString(), id: last.id })).toString("base64url") : null,
    },
  };
}
