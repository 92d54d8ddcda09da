import { Arg, Directive, Field, ID, Int, InterfaceType, ObjectType } from "type-graphql";
import {
  AccessInfo,
  AssessmentEnum,
  ClassificationEnum,
  ForumKindEnum,
  HandlingEnum,
  IdentityStatusEnum,
  LinkTypeEnum,
  PlatformEnum,
  SelectorKindEnum,
  SourceEvaluationEnum,
} from "@interforce/server-kit";
import { ForumRiskLevelEnum } from "../modules/monitoring/risk-level.js";

// Shared shapes of every force subgraph. Value types are @shareable because each force
// subgraph resolves them for its own records.

const byTypename = (value: { __typename?: string }) => value.__typename;

@ObjectType("Grading", { description: "3x5x2 intelligence grading." })
@Directive("@shareable")
export class Grading {
  @Field(() => SourceEvaluationEnum)
  source: string;

  @Field(() => AssessmentEnum)
  assessment: string;

  @Field(() => HandlingEnum)
  handling: string;

  @Field(() => String, { nullable: true, description: "Handling conditions for code C; travels with every result." })
  conditions: string | null;

  @Field(() => [String], { description: "Orgs the conditions allow the record to go to (code C)." })
  conditionsOrgs: string[];
}

@ObjectType("PageInfo")
@Directive("@shareable")
export class PageInfo {
  @Field(() => String, { nullable: true })
  endCursor: string | null;

  @Field(() => Boolean)
  hasNextPage: boolean;
}

@ObjectType("IdentitySelector", { description: "A selector: the platform handle, or the hash of an email or phone number." })
@Directive("@shareable")
export class IdentitySelector {
  @Field(() => SelectorKindEnum)
  kind: string;

  @Field(() => String)
  value: string;
}

/** A link end, resolved by the hub to the owner's record: keeps query plans linear in forces. */
@ObjectType("IdentityRef")
@Directive(`@key(fields: "id", resolvable: false)`)
export class IdentityRef {
  // The key between subgraphs, never shown: an end's id is disclosed only by its owner, on
  // `identity { id }`, to those it lets read the record.
  @Field(() => ID)
  @Directive("@inaccessible")
  id: string;
}

@ObjectType("ForumRef")
@Directive(`@key(fields: "id", resolvable: false)`)
export class ForumRef {
  // The key between subgraphs, never shown: an end's id is disclosed only by its owner, on
  // `forum { id }`, to those it lets read the record.
  @Field(() => ID)
  @Directive("@inaccessible")
  id: string;
}

@InterfaceType("IntelligenceRecord", { resolveType: byTypename, autoRegisterImplementations: false })
export abstract class IntelligenceRecord {
  @Field(() => ID, { description: "Global id: <ORG>:<kind>:<uuid>." })
  id: string;

  @Field(() => String, { description: "Code of the owning org." })
  owner: string;

  @Field(() => ClassificationEnum)
  classification: string;

  @Field(() => Grading)
  grading: Grading;

  @Field(() => Boolean, { description: "Undercover asset; never leaves the owning force." })
  covert: boolean;

  @Field(() => Date, { nullable: true, description: "MoPI review date." })
  reviewDue: Date | null;

  @Field(() => String)
  createdBy: string;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date)
  updatedAt: Date;

  @Field(() => Boolean, { description: "Past its MoPI review date: not shared until the owner reviews it." })
  reviewOverdue: boolean;

  @Field(() => AccessInfo, { description: "The level the caller has on this record, the rule that decided, and the owner's SPOC." })
  access: AccessInfo;
}

@InterfaceType("OnlineIdentity", { implements: IntelligenceRecord, resolveType: byTypename, autoRegisterImplementations: false })
export abstract class OnlineIdentity extends IntelligenceRecord {
  @Field(() => PlatformEnum)
  platform: string;

  @Field(() => String, { nullable: true, description: "Platform name when platform is OTHER." })
  platformOther: string | null;

  @Field(() => String)
  handle: string;

  @Field(() => String, { description: "Case-folded, confusables folded, separators stripped." })
  normalisedHandle: string;

  @Field(() => String, { nullable: true })
  displayName: string | null;

  @Field(() => String, { nullable: true })
  profileUrl: string | null;

  @Field(() => IdentityStatusEnum)
  status: string;

  @Field(() => String, { nullable: true })
  notes: string | null;

  @Field(() => Date, { nullable: true })
  firstSeen: Date | null;

  @Field(() => Date, { nullable: true })
  lastSeen: Date | null;

  @Field(() => [IdentitySelector], { description: "Every selector the hub matches this identity on." })
  selectors: IdentitySelector[];

  // Declared here so clients need no per-force fragment; each org's resolver implements it.
  @Field(() => SuspectLinkPage, { description: "Links from this identity recorded by its owner, newest first." })
  links(@Arg("after", () => String, { nullable: true }) _after: string | null, @Arg("first", () => Int, { defaultValue: 20 }) _first: number): SuspectLinkPage {
    throw new Error("links is resolved by the owning force's resolver");
  }
}

@InterfaceType("Forum", { implements: IntelligenceRecord, resolveType: byTypename, autoRegisterImplementations: false })
export abstract class Forum extends IntelligenceRecord {
  @Field(() => PlatformEnum)
  platform: string;

  @Field(() => String)
  name: string;

  @Field(() => String, { nullable: true })
  url: string | null;

  @Field(() => ForumKindEnum)
  kind: string;

  @Field(() => String, { nullable: true })
  riskSummary: string | null;

  @Field(() => ForumRiskLevelEnum)
  riskLevel: string;
}

@InterfaceType("SuspectLink", { implements: IntelligenceRecord, resolveType: byTypename, autoRegisterImplementations: false })
export abstract class SuspectLink extends IntelligenceRecord {
  @Field(() => IdentityRef)
  from: IdentityRef;

  @Field(() => IdentityRef, { nullable: true })
  toIdentity: IdentityRef | null;

  @Field(() => ForumRef, { nullable: true })
  toForum: ForumRef | null;

  @Field(() => LinkTypeEnum)
  linkType: string;

  @Field(() => String, { nullable: true })
  rationale: string | null;
}

// Each org's page of its links (KentSuspectLinkPage…) implements it, so a client reads an
// identity's links, and pages through them, without a per-force fragment.
@InterfaceType("SuspectLinkPage", { description: "A page of suspect links.", resolveType: byTypename, autoRegisterImplementations: false })
export abstract class SuspectLinkPage {
  @Field(() => [SuspectLink])
  nodes: SuspectLink[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;
}
