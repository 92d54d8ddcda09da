/** How much harm a forum poses; CEOP looks for HIGH forums nobody is monitoring. */
export const FORUM_RISK_LEVELS = ["LOW", "MEDIUM", "HIGH"] as const;
export type ForumRiskLevel = (typeof FORUM_RISK_LEVELS)[number];

/**
 * Monitoring assignments and sightings are records of the org that made them, but not
 * intelligence records of the policy (they are about another org's forum or identity), so
 * they have ids of their own kinds: `KENT:monitoring:<uuid>`, `NORFOLK:sighting:<uuid>`.
 */
export type OwnedRecordKind = "monitoring" | "sighting";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ORG = /^[A-Z][A-Z0-9_]{1,31}$/;

export function formatOwnedId(org: string, kind: OwnedRecordKind, uuid: string): string {
  return `${org}:${kind}:${uuid}`;
}

/** Returns null for anything that is not a well-formed id of that kind; never throws. */
export function parseOwnedId(id: string, kind: OwnedRecordKind): { org: string; uuid: string } | null {
  if (typeof id !== "string" || id.length > 100) return null;
  const parts = id.split(":");
  if (parts.length !== 3 || parts[1] !== kind || !ORG.test(parts[0]!) || !UUID.test(parts[2]!)) return null;
  return { org: parts[0]!, uuid: parts[2]! };
}
