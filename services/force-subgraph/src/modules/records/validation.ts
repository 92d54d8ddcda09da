import { z } from "zod";
import { emailSelector, findOrg, FORUM_RISK_LEVELS, parseGlobalId, phoneSelector } from "@interforce/domain";

const text = (max: number) => z.string().trim().min(1).max(max);
const optText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((v) => (v ? v : null));
const httpUrl = z
  .string()
  .max(2048)
  .url()
  .refine((u) => /^https?:\/\//i.test(u), "must be an http(s) URL")
  .nullish()
  .transform((v) => v ?? null);
const orgCode = z.string().refine((c) => findOrg(c) !== undefined, "is not an org in the registry");
const globalIdOf = (kind: "identity" | "forum") =>
  z.string().refine((id) => {
    const g = parseGlobalId(id);
    return g !== null && g.kind === kind && findOrg(g.org) !== undefined;
  }, `must be a global id of a ${kind} (ORG:${kind}:uuid)`);

const Markings = z
  .object({
    classification: z.enum(["OFFICIAL", "OFFICIAL_SENSITIVE", "SECRET"]),
    source: z.enum(["1", "2", "3"]),
    assessment: z.enum(["A", "B", "C", "D", "E"]),
    handling: z.enum(["P", "C"]),
    conditions: optText(2000),
    conditionsOrgs: z
      .array(orgCode)
      .max(50)
      .nullish()
      .transform((v) => [...new Set(v ?? [])]),
    covert: z.boolean().default(false),
    reviewDue: z
      .date()
      .nullish()
      .transform((v) => v ?? null),
  })
  .superRefine((m, ctx) => {
    if (m.handling === "C" && !m.conditions) {
      ctx.addIssue({ code: "custom", path: ["conditions"], message: "is required when handling is C" });
    }
    if (m.handling === "P" && m.conditionsOrgs.length > 0) {
      ctx.addIssue({ code: "custom", path: ["conditionsOrgs"], message: "applies only to handling C" });
    }
  });

const platform = z.enum([
  "SNAPCHAT",
  "INSTAGRAM",
  "TIKTOK",
  "DISCORD",
  "TELEGRAM",
  "WHATSAPP",
  "KIK",
  "ROBLOX",
  "REDDIT",
  "X",
  "FACEBOOK",
  "OMEGLE_LIKE",
  "OTHER",
]);

export const IdentityInput = z
  .object({
    platform,
    platformOther: optText(100),
    handle: text(200),
    displayName: optText(200),
    profileUrl: httpUrl,
    status: z.enum(["SUSPECT", "VICTIM_AT_RISK", "DECOY", "UNKNOWN"]),
    notes: optText(10000),
    firstSeen: z
      .date()
      .nullish()
      .transform((v) => v ?? null),
    lastSeen: z
      .date()
      .nullish()
      .transform((v) => v ?? null),
    emails: z
      .array(
        z
          .string()
          .max(254)
          .transform((e, ctx) => emailSelector(e) ?? (ctx.addIssue({ code: "custom", message: "is not an email address" }), z.NEVER)),
      )
      .max(10)
      .nullish()
      .transform((v) => [...new Set(v ?? [])]),
    phones: z
      .array(
        z
          .string()
          .max(30)
          .transform((p, ctx) => phoneSelector(p) ?? (ctx.addIssue({ code: "custom", message: "is not a phone number" }), z.NEVER)),
      )
      .max(10)
      .nullish()
      .transform((v) => [...new Set(v ?? [])]),
    markings: Markings,
  })
  .superRefine((v, ctx) => {
    if (v.platform === "OTHER" && !v.platformOther) {
      ctx.addIssue({ code: "custom", path: ["platformOther"], message: "is required when platform is OTHER" });
    }
    if (v.firstSeen && v.lastSeen && v.firstSeen > v.lastSeen) {
      ctx.addIssue({ code: "custom", path: ["lastSeen"], message: "is before firstSeen" });
    }
    // A decoy is an undercover persona: it never leaves its force's covert-cleared officers.
    if (v.status === "DECOY" && !v.markings.covert) {
      ctx.addIssue({ code: "custom", path: ["markings", "covert"], message: "must be true for a DECOY" });
    }
  });

export const ForumInput = z.object({
  platform,
  name: text(300),
  url: httpUrl,
  kind: z.enum(["CHAT_ROOM", "FORUM", "SOCIAL_NETWORK", "GAME_CHAT", "MESSAGING_GROUP"]),
  riskSummary: optText(5000),
  riskLevel: z
    .enum(FORUM_RISK_LEVELS)
    .nullish()
    .transform((v) => v ?? "MEDIUM"),
  markings: Markings,
});

export const LinkInput = z
  .object({
    fromId: globalIdOf("identity"),
    toIdentityId: globalIdOf("identity")
      .nullish()
      .transform((v) => v ?? null),
    toForumId: globalIdOf("forum")
      .nullish()
      .transform((v) => v ?? null),
    linkType: z.enum(["SAME_PERSON", "ALIAS_OF", "COMMUNICATES_WITH", "MEMBER_OF", "ADMIN_OF"]),
    rationale: optText(5000),
    markings: Markings,
  })
  .superRefine((v, ctx) => {
    if ((v.toIdentityId === null) === (v.toForumId === null)) {
      ctx.addIssue({ code: "custom", path: ["toIdentityId"], message: "give exactly one of toIdentityId and toForumId" });
    }
    if (v.toIdentityId !== null && v.toIdentityId === v.fromId) {
      ctx.addIssue({ code: "custom", path: ["toIdentityId"], message: "cannot link an identity to itself" });
    }
    // Membership and administration are of forums; the other types relate two identities.
    const forumType = v.linkType === "MEMBER_OF" || v.linkType === "ADMIN_OF";
    if (forumType && v.toIdentityId !== null) {
      ctx.addIssue({ code: "custom", path: ["linkType"], message: `${v.linkType} links an identity to a forum: give toForumId` });
    }
    if (!forumType && v.toForumId !== null) {
      ctx.addIssue({ code: "custom", path: ["linkType"], message: `${v.linkType} links two identities: give toIdentityId` });
    }
  });

export const Reclassify = z.object({
  classification: z.enum(["OFFICIAL", "OFFICIAL_SENSITIVE", "SECRET"]),
  reason: text(2000),
});

const TEN_YEARS_MS = 10 * 365 * 86400_000;
export const Review = z
  .object({
    decision: z.enum(["RETAIN", "DELETE"]),
    nextReviewDue: z
      .date()
      .nullish()
      .transform((v) => v ?? null),
    reason: optText(2000),
  })
  .superRefine((v, ctx) => {
    if (v.decision === "RETAIN") {
      const t = v.nextReviewDue?.getTime();
      if (t === undefined || t <= Date.now() || t > Date.now() + TEN_YEARS_MS) {
        ctx.addIssue({ code: "custom", path: ["nextReviewDue"], message: "is required to retain, and must be in the next ten years" });
      }
    }
  });

export type MarkingsValue = z.infer<typeof Markings>;

export { validate } from "@interforce/server-kit";
