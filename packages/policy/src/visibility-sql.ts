/**
 * Helpers for the SQL twins of the rules. A twin is a TypeORM WHERE fragment with named
 * parameters (`:name`, `:...list`); services that write raw SQL with positional parameters
 * turn it into `$n` form with `positional`.
 */
export interface SqlPredicate {
  sql: string;
  params: Record<string, unknown>;
}

export const NOTHING: SqlPredicate = { sql: "(1 = 0)", params: {} };
export const EVERYTHING: SqlPredicate = { sql: "(1 = 1)", params: {} };

const nameRegex = (names: string[]) => new RegExp(`:(\\.\\.\\.)?(${[...names].sort((a, b) => b.length - a.length).join("|")})(?![A-Za-z0-9_])`, "g");

/** Renames a predicate's parameters with a prefix, so several predicates can share a query. */
export function prefixParams(pred: SqlPredicate, prefix: string): SqlPredicate {
  const keys = Object.keys(pred.params);
  if (keys.length === 0) return pred;
  const sql = pred.sql.replace(nameRegex(keys), (_m, spread: string | undefined, key: string) => `:${spread ?? ""}${prefix}${key}`);
  return { sql, params: Object.fromEntries(keys.map((k) => [`${prefix}${k}`, pred.params[k]])) };
}

/** Joins predicates with AND, keeping their parameters apart. */
export function allOf(...preds: SqlPredicate[]): SqlPredicate {
  const parts = preds.map((p, i) => prefixParams(p, `a${i}_`));
  return { sql: `(${parts.map((p) => p.sql).join(" AND ")})`, params: Object.assign({}, ...parts.map((p) => p.params)) };
}

/**
 * The predicate with `$n` parameters from `$start` on, for `db.query(text, values)`. A spread
 * parameter (`:...list`) becomes `= ANY($n)`-ready array: write twins with `= ANY(:list)` where
 * they are also used positionally.
 */
export function positional(pred: SqlPredicate, start: number): { text: string; values: unknown[] } {
  const keys = Object.keys(pred.params);
  if (keys.length === 0) return { text: pred.sql, values: [] };
  const order: string[] = [];
  const text = pred.sql.replace(nameRegex(keys), (_m, spread: string | undefined, key: string) => {
    if (spread) throw new Error(`positional: spread parameter :...${key} is not supported; use = ANY(:${key})`);
    let i = order.indexOf(key);
    if (i < 0) i = order.push(key) - 1;
    return `$${start + i}`;
  });
  return { text, values: order.map((k) => pred.params[k]) };
}
