import pg from "pg";
import { storedFields, type StoredRow } from "./audit-log.js";
import { GENESIS_HASH, hashEvent } from "./hash.js";

/** Runs one statement and resolves to its rows, e.g. `dataSource.query.bind(dataSource)`. */
export type QueryFn = (sql: string, params?: unknown[]) => Promise<unknown[]>;

/**
 * - "hash mismatch": the row's contents no longer hash to its stored hash (the row was altered).
 * - "chain link mismatch": the row's prev_hash is not the previous row's hash although no seq
 *   is missing in between (a row was rewritten with a fresh hash, or inserted out of chain).
 * - "sequence gap": as above, and seqs are missing just before the row (rows were deleted).
 *   A gap alone is not a break: a rolled-back insert also leaves one.
 */
export type ChainBreakReason = "hash mismatch" | "chain link mismatch" | "sequence gap";

export type VerifyResult =
  | {
      ok: true;
      events: number;
      /** The newest event, worth recording elsewhere: only an outside copy shows the newest rows were not cut off. */
      head: { seq: string; hash: string } | null;
    }
  | {
      ok: false;
      /** Events examined, the broken one included. */
      events: number;
      firstBrokenSeq: string;
      reason: ChainBreakReason;
      /** A human explanation, e.g. "row altered". */
      explanation: string;
    };

export interface VerifyOptions {
  /** Rows fetched per query; default 1000. */
  batchSize?: number;
  /** Called after each batch with the number of events checked so far. */
  onProgress?: (events: number) => void;
}

const COLUMNS = `seq::text AS seq,
  to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at,
  sub, org, roles, purpose, operation, action, request_id, record_ids, record_kinds, levels, reasons,
  recipient_org, detail, prev_hash, hash`;

/**
 * Recomputes the whole audit chain in seq order and checks every link, so that an altered,
 * deleted or injected row anywhere in the DPA 2018 s.62 log is found. Takes a connection string
 * or a query function; needs only SELECT on audit_event.
 */
export async function verifyChain(source: string | QueryFn, options: VerifyOptions = {}): Promise<VerifyResult> {
  if (typeof source === "string") {
    const client = new pg.Client({ connectionString: source });
    client.on("error", () => {});
    await client.connect();
    try {
      return await verifyChain(async (sql, params) => (await client.query(sql, params)).rows, options);
    } finally {
      await client.end();
    }
  }

  const batchSize = options.batchSize ?? 1000;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100_000) {
    throw new RangeError("batchSize must be a whole number from 1 to 100000");
  }
  let events = 0;
  let prevSeq: bigint | null = null;
  let prevHash = GENESIS_HASH;
  let last: StoredRow | undefined;

  for (;;) {
    const rows = (
      prevSeq === null
        ? await source(`SELECT ${COLUMNS} FROM audit_event e ORDER BY e.seq LIMIT $1`, [batchSize])
        : await source(`SELECT ${COLUMNS} FROM audit_event e WHERE e.seq > $1::bigint ORDER BY e.seq LIMIT $2`, [prevSeq.toString(), batchSize])
    ) as StoredRow[];
    for (const row of rows) {
      events++;
      const seq = BigInt(row.seq);
      const expectedSeq = prevSeq === null ? 1n : prevSeq + 1n;
      if (row.prev_hash !== prevHash) {
        if (seq > expectedSeq) {
          const missing = seq - 1n === expectedSeq ? `seq ${expectedSeq}` : `seqs ${expectedSeq}..${seq - 1n}`;
          return broken(events, row.seq, "sequence gap", `${missing} missing: rows deleted`);
        }
        const previous = prevSeq === null ? "the genesis value" : `the hash of seq ${prevSeq}`;
        return broken(events, row.seq, "chain link mismatch", `prev_hash is not ${previous}: a row was rewritten or inserted out of chain`);
      }
      if (hashEvent(row.prev_hash, storedFields(row)) !== row.hash) {
        return broken(events, row.seq, "hash mismatch", "row altered");
      }
      prevSeq = seq;
      prevHash = row.hash;
      last = row;
    }
    if (rows.length > 0) options.onProgress?.(events);
    if (rows.length < batchSize) break;
  }
  return { ok: true, events, head: last ? { seq: last.seq, hash: last.hash } : null };
}

function broken(events: number, firstBrokenSeq: string, reason: ChainBreakReason, explanation: string): VerifyResult {
  return { ok: false, events, firstBrokenSeq, reason, explanation };
}
