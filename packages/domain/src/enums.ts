/** Government Security Classifications, in ascending order. */
export const CLASSIFICATIONS = ["OFFICIAL", "OFFICIAL_SENSITIVE", "SECRET"] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

export function classificationRank(c: Classification): number {
  return CLASSIFICATIONS.indexOf(c);
}

export const ROLES = ["OFFICER", "ANALYST", "FORCE_ADMIN", "POLICY_ADMIN", "SERVICE"] as const;
export type Role = (typeof ROLES)[number];

/** 3x5x2 (College of Policing): source evaluation, intelligence assessment, handling code. */
export const SOURCE_EVALUATIONS = ["1", "2", "3"] as const;
export type SourceEvaluation = (typeof SOURCE_EVALUATIONS)[number];
export const INTELLIGENCE_ASSESSMENTS = ["A", "B", "C", "D", "E"] as const;
export type IntelligenceAssessment = (typeof INTELLIGENCE_ASSESSMENTS)[number];
export const HANDLING_CODES = ["P", "C"] as const;
export type HandlingCode = (typeof HANDLING_CODES)[number];

export const PLATFORMS = [
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
] as const;
export type Platform = (typeof PLATFORMS)[number];

export const IDENTITY_STATUSES = ["SUSPECT", "VICTIM_AT_RISK", "DECOY", "UNKNOWN"] as const;
export type IdentityStatus = (typeof IDENTITY_STATUSES)[number];

export const FORUM_KINDS = ["CHAT_ROOM", "FORUM", "SOCIAL_NETWORK", "GAME_CHAT", "MESSAGING_GROUP"] as const;
export type ForumKind = (typeof FORUM_KINDS)[number];

export const LINK_TYPES = ["SAME_PERSON", "ALIAS_OF", "COMMUNICATES_WITH", "MEMBER_OF", "ADMIN_OF"] as const;
export type LinkType = (typeof LINK_TYPES)[number];

export const RECORD_KINDS = ["identity", "forum", "link"] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

export const AGREEMENT_STATUSES = ["ACTIVE", "SUSPENDED", "REVOKED"] as const;
export type AgreementStatus = (typeof AGREEMENT_STATUSES)[number];

export const ACCESS_LEVELS = ["FULL", "POINTER", "NONE"] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];
