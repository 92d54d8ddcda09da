import { createHash } from "node:crypto";
import type { EntityManager } from "typeorm";
import { parseGlobalId, type Principal } from "@interforce/domain";
import { badInput } from "@interforce/server-kit";
import type { MarkedRecord } from "../../db/entities.js";

const KEY = /^[A-Za-z0-9._:-]{1,200}$/;

const requestHash = (operation: string, input: unknown) =>
  createHash("sha256")
    .update(`${operation}\n${JSON.stringify(input)}`)
    .digest("hex");

const owner = (p: Principal) => `${p.org}/${p.sub}`;

/**
 * Claims a client's idempotency key inside the write's own transaction. Returns the global
 * id of the earlier result when the same request was already applied (nothing is written
 * again), null when the key is new. A concurrent retry waits on the key's row until the
 * first commits, then sees its result. Reusing a key for a different request is refused.
 */
export async function claimKey(m: EntityManager, p: Principal, key: string | null | undefined, operation: string, input: unknown): Promise<string | null> {
  if (key == null) return null;
  if (!KEY.test(key)) throw badInput("idempotencyKey must be 1 to 200 letters, digits or . _ : -", "idempotencyKey");
  const hash = requestHash(operation, input);
  const inserted: unknown[] = await m.query(
    `INSERT INTO idempotency_key (key, principal, operation, request_hash, result_id) VALUES ($1, $2, $3, $4, '')
     ON CONFLICT (principal, key) DO NOTHING RETURNING key`,
    [key, owner(p), operation, hash],
  );
  if (inserted.length) return null;
  const [prior] = (await m.query(`SELECT operation, request_hash, result_id FROM idempotency_key WHERE principal = $1 AND key = $2`, [owner(p), key])) as {
    operation: string;
    request_hash: string;
    result_id: string;
  }[];
  if (!prior || prior.operation !== operation || prior.request_hash !== hash) {
    throw badInput("idempotencyKey was already used for a different request", "idempotencyKey");
  }
  return prior.result_id;
}

export async function settleKey(m: EntityManager, p: Principal, key: string | null | undefined, resultId: string): Promise<void> {
  if (key == null) return;
  await m.query(`UPDATE idempotency_key SET result_id = $3 WHERE principal = $1 AND key = $2`, [owner(p), key, resultId]);
}

/** The earlier result of a replayed write, as it stands now. */
export async function replay<R extends MarkedRecord>(m: EntityManager, entity: new () => R, resultId: string): Promise<R> {
  const g = parseGlobalId(resultId);
  const row = g ? await m.getRepository(entity).findOneBy({ id: g.uuid } as never) : null;
  if (!row) throw badInput("the request of this idempotencyKey produced a record that no longer exists", "idempotencyKey");
  return row;
}
