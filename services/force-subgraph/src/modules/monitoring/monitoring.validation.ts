import { z } from "zod";
import { CLASSIFICATIONS, findOrg, FORUM_RISK_LEVELS, parseGlobalId } from "@interforce/domain";

const text = (max: number) => z.string().trim().min(1).max(max);
// A far-off date is almost always a typo; ten years bounds both ends of an assignment.
const TEN_YEARS_MS = 10 * 365 * 86400_000;
const plausible = (d: Date) => Math.abs(d.getTime() - Date.now()) <= TEN_YEARS_MS;

export const forumId = z.string().refine((id) => {
  const g = parseGlobalId(id);
  return g !== null && g.kind === "forum" && findOrg(g.org) !== undefined;
}, "must be a global id of a forum (ORG:forum:uuid)");

export const AssignMonitoring = z
  .object({
    forumId,
    from: z
      .date()
      .nullish()
      .transform((v) => v ?? new Date())
      .refine(plausible, "must be within ten years of today"),
    to: z
      .date()
      .nullish()
      .transform((v) => v ?? null),
    covert: z.boolean().default(false),
    classification: z.enum(CLASSIFICATIONS).default("OFFICIAL"),
    leadOfficer: z.object({
      name: text(200),
      email: z.string().trim().max(254).email(),
      phone: z
        .string()
        .trim()
        .max(30)
        .regex(/^\+?[\d\s()-]{7,}$/, "is not a phone number"),
    }),
  })
  .superRefine((v, ctx) => {
    if (v.to && v.to <= v.from) ctx.addIssue({ code: "custom", path: ["to"], message: "must be after from" });
    if (v.to && !plausible(v.to)) ctx.addIssue({ code: "custom", path: ["to"], message: "must be within ten years of today" });
  });

export const EndMonitoring = z.object({
  at: z
    .date()
    .nullish()
    .transform((v) => v ?? new Date())
    .refine(plausible, "must be within ten years of today"),
});

export const SetRiskLevel = z.object({
  riskLevel: z.enum(FORUM_RISK_LEVELS),
  reason: z
    .string()
    .trim()
    .max(2000)
    .nullish()
    .transform((v) => (v ? v : null)),
});
