import type { EntityManager, ObjectLiteral } from "typeorm";

/**
 * Writes a new row in one statement (INSERT … RETURNING its defaults) and returns it with those
 * defaults filled in. `save` would first look the row up by its id to choose between insert and
 * update: a second round trip on every write, for rows whose ids were just made.
 */
export async function insertRow<T extends ObjectLiteral>(m: EntityManager, row: T): Promise<T> {
  await m.insert(row.constructor as new () => T, row);
  return row;
}
