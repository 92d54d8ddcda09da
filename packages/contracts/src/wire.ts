import { z } from "zod";
import { parseGlobalId, parseOwnedId, type RecordKind } from "@interforce/domain";

// Field shapes every contract shares.

/** An org code as the registry spells it. */
export const OrgCode = z.string().min(1).max(40);

/** ISO-8601 in UTC (`Date#toISOString`), as every service writes times on the wire. */
export const IsoDateTime = z.iso.datetime();

/** An ISO string on the wire, a Date in memory: `parse` decodes, `z.encode` encodes. */
export const WireDate = z.codec(IsoDateTime, z.date(), {
  decode: (s) => new Date(s),
  encode: (d) => d.toISOString(),
});

export const globalIdOf = (kind: RecordKind) =>
  z
    .string()
    .max(100)
    .refine((id) => parseGlobalId(id)?.kind === kind, `must be ${kind === "identity" ? "an" : "a"} ${kind}'s global id`);

export const ownedIdOf = (kind: "monitoring" | "sighting") =>
  z
    .string()
    .max(100)
    .refine((id) => parseOwnedId(id, kind) !== null, `must be a ${kind === "monitoring" ? "monitoring assignment" : "sighting"} id`);

/** The first issue of a failed parse, with its path, for a log line or a 400's message. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "invalid";
  return issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message;
}
