import { Field, ID, InputType } from "type-graphql";
import {
  AssessmentEnum,
  ClassificationEnum,
  ForumKindEnum,
  HandlingEnum,
  IdentityStatusEnum,
  LinkTypeEnum,
  PlatformEnum,
  SourceEvaluationEnum,
} from "@interforce/server-kit";
import { ForumRiskLevelEnum } from "../modules/monitoring/risk-level.js";

@InputType("MarkingsInput", { description: "Classification, 3x5x2 grading, covert flag and MoPI review date." })
export class MarkingsInput {
  @Field(() => ClassificationEnum)
  classification: string;

  @Field(() => SourceEvaluationEnum)
  source: string;

  @Field(() => AssessmentEnum)
  assessment: string;

  @Field(() => HandlingEnum)
  handling: string;

  @Field(() => String, { nullable: true, description: "Required when handling is C." })
  conditions?: string | null;

  @Field(() => [String], { nullable: true, description: "Orgs the conditions allow (handling C)." })
  conditionsOrgs?: string[] | null;

  @Field(() => Boolean, { defaultValue: false })
  covert: boolean;

  @Field(() => Date, { nullable: true })
  reviewDue?: Date | null;
}

@InputType("RecordOnlineIdentityInput")
export class RecordOnlineIdentityInput {
  @Field(() => PlatformEnum)
  platform: string;

  @Field(() => String, { nullable: true })
  platformOther?: string | null;

  @Field(() => String)
  handle: string;

  @Field(() => String, { nullable: true })
  displayName?: string | null;

  @Field(() => String, { nullable: true })
  profileUrl?: string | null;

  @Field(() => IdentityStatusEnum)
  status: string;

  @Field(() => String, { nullable: true })
  notes?: string | null;

  @Field(() => Date, { nullable: true })
  firstSeen?: Date | null;

  @Field(() => Date, { nullable: true })
  lastSeen?: Date | null;

  @Field(() => [String], { nullable: true, description: "Email addresses; only their hashes are stored and shared." })
  emails?: string[] | null;

  @Field(() => [String], { nullable: true, description: "Phone numbers; only their hashes are stored and shared." })
  phones?: string[] | null;

  @Field(() => MarkingsInput)
  markings: MarkingsInput;
}

@InputType("RecordForumInput")
export class RecordForumInput {
  @Field(() => PlatformEnum)
  platform: string;

  @Field(() => String)
  name: string;

  @Field(() => String, { nullable: true })
  url?: string | null;

  @Field(() => ForumKindEnum)
  kind: string;

  @Field(() => String, { nullable: true })
  riskSummary?: string | null;

  @Field(() => ForumRiskLevelEnum, { nullable: true, defaultValue: "MEDIUM" })
  riskLevel?: string | null;

  @Field(() => MarkingsInput)
  markings: MarkingsInput;
}

@InputType("LinkIdentitiesInput")
export class LinkIdentitiesInput {
  @Field(() => ID, { description: "Global id of an identity of any org." })
  fromId: string;

  @Field(() => ID, { nullable: true, description: "Exactly one of toIdentityId and toForumId." })
  toIdentityId?: string | null;

  @Field(() => ID, { nullable: true })
  toForumId?: string | null;

  @Field(() => LinkTypeEnum)
  linkType: string;

  @Field(() => String, { nullable: true })
  rationale?: string | null;

  @Field(() => MarkingsInput)
  markings: MarkingsInput;
}
