import { createHash } from "node:crypto";

/**
 * The audit log is a hash chain: each row's hash covers its predecessor's hash, so altering,
 * removing or re-ordering any row breaks every later link. That is what lets a force show
 * its DPA 2018 s.62 log has not been edited since it was written.
 */
export const GENESIS_HASH = "0".repeat(64);

export const AUDIT_ACTIONS = ["COLLECTION", "ALTERATION", "CONSULTATION", "DISCLOSURE", "ERASURE"] as const;
/** The processing operations DPA 2018 s.62(1) requires a log of. */
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** The stored fields an event's hash covers (everything but seq, prev_hash and hash). */
export interface ChainedEventFields {
  /** A Date or an ISO-8601 string; only millisecond precision is kept, as in the column. */
  at: Date | string;
  sub: string | null;
  org: string | null;
  roles: readonly string[] | null;
  purpose: string | null;
  operation: string;
  action: string;
  requestId: string | null;
  recordIds: readonly string[];
  recordKinds: readonly string[];
  levels: readonly string[];
  reasons: readonly string[];
  recipientOrg: string | null;
  detail: unknown;
}

/**
 * The canonical text of an event: a JSON object whose keys are the column names in this fixed
 * order, `at` as an ISO-8601 UTC timestamp with milliseconds, arrays as JSON arrays, and
 * `detail` with object keys sorted by UTF-16 code unit at every depth (jsonb does not keep
 * key order, so the hash must not depend on it). Documented so that an auditor can re-verify
 * the chain without this code.
 */
export function canonicalEvent(event: ChainedEventFields): string {
  const fields: [string, unknown][] = [
    ["at", isoMillis(event.at)],
    ["sub", event.sub],
    ["org", event.org],
    ["roles", event.roles],
    ["purpose", event.purpose],
    ["operation", event.operation],
    ["action", event.action],
    ["request_id", event.requestId],
    ["record_ids", event.recordIds],
    ["record_kinds", event.recordKinds],
    ["levels", event.levels],
    ["reasons", event.reasons],
    ["recipient_org", event.recipientOrg],
    ["detail", event.detail ?? {}],
  ];
  return `{${fields.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/** sha256 (lower-case hex) of `prevHash + "\n" + canonicalEvent(event)`. */
export function hashEvent(prevHash: string, event: ChainedEventFields): string {
  return createHash("sha256")
    .update(`${prevHash}\n${canonicalEvent(event)}`, "utf8")
    .digest("hex");
}

/**
 * JSON with sorted object keys, otherwise exactly JSON.stringify's rules (toJSON, dropped
 * undefined members, null for non-finite numbers), so a value and its jsonb round trip
 * serialise alike.
 */
export function canonicalJson(value: unknown): string {
  const text = write(value);
  if (text === undefined) throw new TypeError("Cannot serialise undefined, a function or a symbol as JSON");
  return text;
}

function write(value: unknown): string | undefined {
  if (value !== null && typeof value === "object" && typeof (value as { toJSON?: unknown }).toJSON === "function") {
    value = (value as { toJSON(): unknown }).toJSON();
  }
  switch (typeof value) {
    case "string":
    case "boolean":
      return JSON.stringify(value);
    case "number":
      return JSON.stringify(value);
    case "bigint":
      throw new TypeError("Cannot serialise a BigInt as JSON");
    case "undefined":
    case "function":
    case "symbol":
      return undefined;
  }
  if (value === null) return "null";
  if (Array.isArray(value)) return `[${value.map((item) => write(item) ?? "null").join(",")}]`;
  const entries: string[] = [];
  for (const key of Object.keys(value as object).sort()) {
    const item = write((value as Record<string, unknown>)[key]);
    if (item !== undefined) entries.push(`${JSON.stringify(key)}:${item}`);
  }
  return `{${entries.join(",")}}`;
}

function isoMillis(at: Date | string): string {
  const date = at instanceof Date ? at : new Date(at);
  if (Number.isNaN(date.getTime())) throw new RangeError(`Invalid audit event time ${JSON.stringify(String(at))}`);
  return date.toISOString();
}
