import { RECORD_KINDS, type RecordKind } from "./enums.js";

/**
 * Global ids carry their owner (`KENT:identity:<uuid>`), so the hub can route a lookup
 * to the owning force without reading any index.
 */
export interface GlobalId {
  org: string;
  kind: RecordKind;
  uuid: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ORG = /^[A-Z][A-Z0-9_]{1,31}$/;

export function formatGlobalId(org: string, kind: RecordKind, uuid: string): string {
  return `${org}:${kind}:${uuid}`;
}

/** Returns null for anything that is not a well-formed global id; never throws. */
export function parseGlobalId(id: string): GlobalId | null {
  if (typeof id !== "string" || id.length > 100) return null;
  const parts = id.split(":");
  if (parts.length !== 3) return null;
  const [org, kind, uuid] = parts as [string, string, string];
  if (!ORG.test(org) || !UUID.test(uuid)) return null;
  if (!(RECORD_KINDS as readonly string[]).includes(kind)) return null;
  return { org, kind: kind as RecordKind, uuid };
}
