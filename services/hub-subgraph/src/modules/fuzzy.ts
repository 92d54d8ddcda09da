/** Trigram similarity at or above which a handle is a fuzzy match (pg_trgm's `%` on the hub's connections uses it too). */
export const FUZZY_THRESHOLD = 0.35;
