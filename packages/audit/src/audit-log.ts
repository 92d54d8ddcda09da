import type { DataSource, EntityManager } from "typeorm";
import { ACCESS_LEVELS, type AccessLevel } from "@interforce/domain";
import { Counter, register } from "prom-client";
import { AUDIT_ACTIONS, hashEvent, type AuditAction, type ChainedEventFields } from "./hash.js";

const FAILURES = "interforce_audit_write_failures_total";

/** Audit events that could not be appended (the data they describe was then withheld or not kept). */
const auditWriteFailures =
  (register.getSingleMetric(FAILURES) as Counter | undefined) ??
  new Counter({ name: FAILURES, help: "Audit events that could not be appended; the request they belong to failed closed" });

export interface AuditRecordRef {
  id: string;
  kind: string;
  /** What was released of the record: FULL, a POINTER to its owner, or NONE. */
  level: AccessLevel;
  /** The policy rule or other reason behind `level`. */
  reason: string;
}

export interface AuditEventInput {
  action: AuditAction;
  /** e.g. "search", "_entities", "kent.recordOnlineIdentity". */
  operation: string;
  principal: { sub: string; org: string; roles: string[] };
  purpose: string | null;
  requestId: string;
  records: AuditRecordRef[];
  recipientOrg?: string | null;
  detail?: Record<string, unknown>;
}

export interface RecordOptions {
  /**
   * A manager inside the caller's open transaction, so the event commits or rolls back with
   * the change it logs. The chain lock is then held until that transaction ends, and the
   * transaction must be READ COMMITTED (the call is refused under any other level).
   */
  manager?: EntityManager;
}

export interface AuditEventRow {
  seq: string;
  at: Date;
  sub: string | null;
  org: string | null;
  roles: string[] | null;
  purpose: string | null;
  operation: string;
  action: AuditAction;
  requestId: string | null;
  records: AuditRecordRef[];
  recipientOrg: string | null;
  detail: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export interface AuditPageOptions {
  /** 1 to 100. */
  first: number;
  /** The endCursor of the previous page. */
  after?: string | null;
  /** Inclusive lower bound on `at`. */
  from?: Date | null;
  /** Exclusive upper bound on `at`. */
  to?: Date | null;
  /**
   * Which events the reader may see (the policy's SQL twin over alias `e`), with positional
   * parameters from `start`; filtered before LIMIT, so pages are full and hidden events are
   * not counted.
   */
  visible?: (start: number) => { text: string; values: unknown[] };
}

export interface AuditPage {
  nodes: AuditEventRow[];
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
}

export const MAX_AUDIT_PAGE = 100;

const MAX_BIGINT = 9223372036854775807n;
const SEQ = /^[1-9][0-9]{0,18}$/;
/** Cursors are opaque to clients: the sequence number of the last entry read, wrapped. */
export const auditCursor = (seq: string) => Buffer.from(`audit:${seq}`, "utf8").toString("base64url");
function decodeCursor(after: string): string | null {
  const text = Buffer.from(after, "base64url").toString("utf8");
  const seq = text.startsWith("audit:") ? text.slice("audit:".length) : "";
  return SEQ.test(seq) && BigInt(seq) <= MAX_BIGINT && auditCursor(seq) === after ? seq : null;
}

const ROW_COLUMNS = `seq::text AS seq,
  to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at,
  sub, org, roles, purpose, operation, action, request_id, record_ids, record_kinds, levels, reasons,
  recipient_org, detail, prev_hash, hash`;

const INSERT = `INSERT INTO audit_event
  (at, sub, org, roles, purpose, operation, action, request_id,
   record_ids, record_kinds, levels, reasons, recipient_org, detail, prev_hash, hash)
  VALUES ($1::timestamptz, $2, $3, $4::text[], $5, $6, $7, $8,
   $9::text[], $10::text[], $11::text[], $12::text[], $13, $14::jsonb, $15, $16)`;

/**
 * The DPA 2018 s.62 log of one database (a force's or the hub's). `record` must succeed before
 * the data it describes is released or kept: it throws on any failure so callers fail closed.
 */
export class AuditLog {
  constructor(private readonly db: DataSource) {}

  async record(event: AuditEventInput, options: RecordOptions = {}): Promise<void> {
    try {
      await this.append(event, options);
    } catch (err) {
      auditWriteFailures.inc();
      throw err;
    }
  }

  private async append(event: AuditEventInput, options: RecordOptions): Promise<void> {
    const fields = toStoredFields(event);
    const write = async (manager: EntityManager) => {
      const [head] = (await manager.query("SELECT prev_hash, at FROM audit_chain_head()")) as {
        prev_hash: string;
        at: string;
      }[];
      if (!head) throw new Error("audit_chain_head() returned no row");
      const stored = { ...fields, at: head.at };
      const hash = hashEvent(head.prev_hash, stored);
      await manager.query(INSERT, [
        stored.at,
        stored.sub,
        stored.org,
        stored.roles,
        stored.purpose,
        stored.operation,
        stored.action,
        stored.requestId,
        stored.recordIds,
        stored.recordKinds,
        stored.levels,
        stored.reasons,
        stored.recipientOrg,
        JSON.stringify(stored.detail),
        head.prev_hash,
        hash,
      ]);
    };
    if (options.manager) {
      if (!options.manager.queryRunner?.isTransactionActive) {
        throw new Error("AuditLog.record: options.manager must belong to an open transaction");
      }
      await write(options.manager);
    } else {
      // The lock-then-read in audit_chain_head() only sees the latest head under READ COMMITTED.
      await this.db.transaction("READ COMMITTED", write);
    }
  }

  /** Events that touched the record, newest first. */
  listByRecord(recordId: string, options: AuditPageOptions): Promise<AuditPage> {
    return this.list("record_ids @> ARRAY[$1]::text[]", "recordId", recordId, options);
  }

  /** Events by the principal (token `sub`), newest first. */
  listByPrincipal(sub: string, options: AuditPageOptions): Promise<AuditPage> {
    return this.list("sub = $1", "sub", sub, options);
  }

  /** Events by principals of the org, newest first. */
  listByOrg(org: string, options: AuditPageOptions): Promise<AuditPage> {
    return this.list("org = $1", "org", org, options);
  }

  private async list(filter: string, name: string, value: string, options: AuditPageOptions): Promise<AuditPage> {
    if (typeof value !== "string" || value.length === 0 || value.length > 1000) {
      throw new RangeError(`${name} must be a non-empty string of at most 1000 characters`);
    }
    const { first, after, from, to } = validatePage(options);
    const params: unknown[] = [value];
    const where = [filter];
    if (after !== null) {
      params.push(after);
      where.push(`seq < $${params.length}::bigint`);
    }
    if (from !== null) {
      params.push(from.toISOString());
      where.push(`at >= $${params.length}::timestamptz`);
    }
    if (to !== null) {
      params.push(to.toISOString());
      where.push(`at < $${params.length}::timestamptz`);
    }
    if (options.visible) {
      const v = options.visible(params.length + 1);
      params.push(...v.values);
      where.push(v.text);
    }
    params.push(first + 1);
    const rows = (await this.db.query(
      `SELECT ${ROW_COLUMNS} FROM audit_event e WHERE ${where.join(" AND ")} ORDER BY e.seq DESC LIMIT $${params.length}`,
      params,
    )) as StoredRow[];
    const nodes = rows.slice(0, first).map(toRow);
    return {
      nodes,
      pageInfo: { endCursor: nodes.length ? auditCursor(nodes.at(-1)!.seq) : null, hasNextPage: rows.length > first },
    };
  }
}

/** A row as selected with ROW_COLUMNS (and by verifyChain). */
export interface StoredRow {
  seq: string;
  at: string;
  sub: string | null;
  org: string | null;
  roles: string[] | null;
  purpose: string | null;
  operation: string;
  action: string;
  request_id: string | null;
  record_ids: string[];
  record_kinds: string[];
  levels: string[];
  reasons: string[];
  recipient_org: string | null;
  detail: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

export function storedFields(row: StoredRow): ChainedEventFields {
  return {
    at: row.at,
    sub: row.sub,
    org: row.org,
    roles: row.roles,
    purpose: row.purpose,
    operation: row.operation,
    action: row.action,
    requestId: row.request_id,
    recordIds: row.record_ids,
    recordKinds: row.record_kinds,
    levels: row.levels,
    reasons: row.reasons,
    recipientOrg: row.recipient_org,
    detail: row.detail,
  };
}

function toRow(row: StoredRow): AuditEventRow {
  return {
    seq: row.seq,
    at: new Date(row.at),
    sub: row.sub,
    org: row.org,
    roles: row.roles,
    purpose: row.purpose,
    operation: row.operation,
    action: row.action as AuditAction,
    requestId: row.request_id,
    records: row.record_ids.map((id, i) => ({
      id,
      kind: row.record_kinds[i]!,
      level: row.levels[i] as AccessLevel,
      reason: row.reasons[i]!,
    })),
    recipientOrg: row.recipient_org,
    detail: row.detail,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

function validatePage(options: AuditPageOptions): { first: number; after: string | null; from: Date | null; to: Date | null } {
  if (options === null || typeof options !== "object") throw new RangeError("page options are required");
  const { first, after: given = null, from = null, to = null } = options;
  if (!Number.isInteger(first) || first < 1 || first > MAX_AUDIT_PAGE) {
    throw new RangeError(`first must be a whole number from 1 to ${MAX_AUDIT_PAGE}, got ${String(first)}`);
  }
  const after = typeof given === "string" ? decodeCursor(given) : null;
  if (given !== null && after === null) {
    throw new RangeError(`after must be a cursor returned as endCursor, got ${JSON.stringify(given)}`);
  }
  for (const [name, value] of [
    ["from", from],
    ["to", to],
  ] as const) {
    if (value !== null && !(value instanceof Date && !Number.isNaN(value.getTime()))) {
      throw new RangeError(`${name} must be a valid Date`);
    }
  }
  if (from !== null && to !== null && from.getTime() > to.getTime()) {
    throw new RangeError("from must not be later than to");
  }
  return { first, after, from, to };
}

type StoredInput = Omit<ChainedEventFields, "at" | "detail"> & {
  roles: string[];
  recordIds: string[];
  recordKinds: string[];
  levels: string[];
  reasons: string[];
  detail: Record<string, unknown>;
};

/**
 * Validates the input and shapes it exactly as PostgreSQL will store it, so that the hash
 * computed here matches the one recomputed from the row. The text protocol sends strings as
 * UTF-8, which turns an unpaired surrogate into U+FFFD; doing that first keeps the hash honest.
 */
function toStoredFields(event: AuditEventInput): StoredInput {
  if (event === null || typeof event !== "object") throw new TypeError("audit event must be an object");
  if (!(AUDIT_ACTIONS as readonly string[]).includes(event.action)) {
    throw new TypeError(`audit event action must be one of ${AUDIT_ACTIONS.join(", ")}, got ${String(event.action)}`);
  }
  const operation = text(event.operation, "operation");
  if (operation.length === 0) throw new TypeError("audit event operation must not be empty");
  const principal = event.principal;
  if (principal === null || typeof principal !== "object") throw new TypeError("audit event principal is required");
  if (!Array.isArray(principal.roles)) throw new TypeError("audit event principal.roles must be an array");
  if (!Array.isArray(event.records)) throw new TypeError("audit event records must be an array");
  const records = event.records.map((r, i) => {
    if (r === null || typeof r !== "object") throw new TypeError(`audit event records[${i}] must be an object`);
    if (!(ACCESS_LEVELS as readonly string[]).includes(r.level)) {
      throw new TypeError(`audit event records[${i}].level must be one of ${ACCESS_LEVELS.join(", ")}, got ${String(r.level)}`);
    }
    return {
      id: text(r.id, `records[${i}].id`),
      kind: text(r.kind, `records[${i}].kind`),
      level: r.level,
      reason: text(r.reason, `records[${i}].reason`),
    };
  });
  const detail = event.detail ?? {};
  if (detail === null || typeof detail !== "object" || Array.isArray(detail)) {
    throw new TypeError("audit event detail must be a plain object");
  }
  return {
    sub: text(principal.sub, "principal.sub"),
    org: text(principal.org, "principal.org"),
    roles: principal.roles.map((role, i) => text(role, `principal.roles[${i}]`)),
    purpose: event.purpose === null ? null : text(event.purpose, "purpose"),
    operation,
    action: event.action,
    requestId: text(event.requestId, "requestId"),
    recordIds: records.map((r) => r.id),
    recordKinds: records.map((r) => r.kind),
    levels: records.map((r) => r.level),
    reasons: records.map((r) => r.reason),
    recipientOrg: event.recipientOrg == null ? null : text(event.recipientOrg, "recipientOrg"),
    detail: asStoredJson(detail) as Record<string, unknown>,
  };
}

function text(value: unknown, name: string): string {
  if (typeof value !== "string") throw new TypeError(`audit event ${name} must be a string`);
  return wellFormed(value);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function wellFormed(value: string): string {
  return value.replace(LONE_SURROGATE, "\uFFFD");
}

/** The value jsonb will give back: JSON.stringify's view of it, with well-formed strings. */
function asStoredJson(value: unknown): unknown {
  const plain: unknown = JSON.parse(JSON.stringify(value));
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return wellFormed(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === "object") {
      return Object.fromEntries(Object.entries(v).map(([k, item]) => [wellFormed(k), walk(item)]));
    }
    return v;
  };
  return walk(plain);
}
