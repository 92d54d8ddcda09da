import { registerEnumType } from "type-graphql";
import { CLASSIFICATIONS, FORUM_KINDS, HANDLING_CODES, IDENTITY_STATUSES, INTELLIGENCE_ASSESSMENTS, LINK_TYPES, PLATFORMS } from "@interforce/domain";

const enumOf = <T extends string>(values: readonly T[]) => Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };

export const PlatformEnum = enumOf(PLATFORMS);
export const ClassificationEnum = enumOf(CLASSIFICATIONS);
export const IdentityStatusEnum = enumOf(IDENTITY_STATUSES);
export const ForumKindEnum = enumOf(FORUM_KINDS);
export const LinkTypeEnum = enumOf(LINK_TYPES);
export const AssessmentEnum = enumOf(INTELLIGENCE_ASSESSMENTS);
export const HandlingEnum = enumOf(HANDLING_CODES);
// GraphQL enum values cannot start with a digit, so the 3x5x2 source codes 1/2/3 get names.
export const SourceEvaluationEnum = { RELIABLE: "1", UNTESTED: "2", NOT_RELIABLE: "3" } as const;

registerEnumType(PlatformEnum, { name: "Platform", description: "Platform an identity or forum lives on; OTHER carries a name." });
registerEnumType(ClassificationEnum, { name: "Classification", description: "Government Security Classification, ascending." });
registerEnumType(IdentityStatusEnum, { name: "IdentityStatus" });
registerEnumType(ForumKindEnum, { name: "ForumKind" });
registerEnumType(LinkTypeEnum, { name: "LinkType" });
registerEnumType(AssessmentEnum, { name: "IntelligenceAssessment", description: "3x5x2 intelligence assessment A–E." });
registerEnumType(HandlingEnum, { name: "HandlingCode", description: "3x5x2 handling: P lawful sharing permitted, C sharing with conditions." });
registerEnumType(SourceEvaluationEnum, { name: "SourceEvaluation", description: "3x5x2 source evaluation 1 reliable, 2 untested, 3 not reliable." });

export const AccessLevelEnum = { FULL: "FULL", POINTER: "POINTER", NONE: "NONE" } as const;
registerEnumType(AccessLevelEnum, {
  name: "AccessLevel",
  description: "FULL: the record; POINTER: only that its owner holds a match (hit/no-hit); NONE: not even existence.",
});
export const RecordKindEnum = { IDENTITY: "identity", FORUM: "forum", LINK: "link" } as const;
registerEnumType(RecordKindEnum, { name: "RecordKind" });

export const SelectorKindEnum = { HANDLE: "HANDLE", EMAIL: "EMAIL", PHONE: "PHONE" } as const;
registerEnumType(SelectorKindEnum, { name: "SelectorKind", description: "HANDLE: the normalised platform handle; EMAIL and PHONE: the keyed hash of one." });

/** What an audit entry names: the stored kinds, upper-cased; a kind this version does not know is OTHER. */
export const AuditedRecordKindEnum = {
  IDENTITY: "identity",
  FORUM: "forum",
  LINK: "link",
  SIGHTING: "sighting",
  MONITORING: "monitoring",
  MONITORING_ASSIGNMENT: "monitoring-assignment",
  AGREEMENT: "agreement",
  DECONFLICTION_ALERT: "deconfliction-alert",
  ACCESS_REQUEST: "access-request",
  OTHER: "other",
} as const;
registerEnumType(AuditedRecordKindEnum, { name: "AuditedRecordKind", description: "The kind of thing an audit entry names." });
const AUDITED_KINDS = new Set<string>(Object.values(AuditedRecordKindEnum));
export const auditedKind = (stored: string): string => (AUDITED_KINDS.has(stored) ? stored : AuditedRecordKindEnum.OTHER);
