import { z } from "zod";
import { CLASSIFICATIONS, findOrg, parseGlobalId } from "@interforce/domain";

const globalIdOf = (kind: "identity" | "forum") =>
  z.string().refine((id) => {
    const g = parseGlobalId(id);
    return g !== null && g.kind === kind && findOrg(g.org) !== undefined;
  }, `must be a global id of a ${kind} (ORG:${kind}:uuid)`);

// Clocks differ a little between forces and devices; a sighting further ahead is a mistake.
const SKEW_MS = 5 * 60_000;
const EARLIEST = new Date("2000-01-01T00:00:00Z");

export const RecordSighting = z.object({
  identityId: globalIdOf("identity"),
  seenAt: z
    .date()
    .refine((d) => d.getTime() <= Date.now() + SKEW_MS, "cannot be in the future")
    .refine((d) => d >= EARLIEST, "is before 2000"),
  forumId: globalIdOf("forum")
    .nullish()
    .transform((v) => v ?? null),
  note: z
    .string()
    .trim()
    .max(5000)
    .nullish()
    .transform((v) => (v ? v : null)),
  classification: z.enum(CLASSIFICATIONS).default("OFFICIAL"),
});
