import { Directive, Field, InputType, ObjectType } from "type-graphql";
// Returned by every force subgraph, so shared.
import { AccessInfo, AccessLevelEnum, ClassificationEnum } from "@interforce/server-kit";

@InputType("PrincipalInput", { description: "A principal to explain access for." })
export class PrincipalInput {
  @Field(() => String) org: string;
  @Field(() => [String]) roles: string[];
  @Field(() => ClassificationEnum) clearance: string;
  @Field(() => Boolean, { defaultValue: false }) covert: boolean;
}

@ObjectType("AccessExplanation", { description: "What a principal would get of a record, and the rule that decided." })
@Directive("@shareable")
export class AccessExplanation {
  @Field(() => AccessInfo, { description: "Reading the record (lists, by id, nested, _entities)." }) read: AccessInfo;
  @Field(() => AccessInfo, { description: "A hub search matching the record." }) search: AccessInfo;
}

@ObjectType("AuditedRecord")
@Directive("@shareable")
export class AuditedRecord {
  @Field(() => String) id: string;
  @Field(() => String) kind: string;
  @Field(() => AccessLevelEnum) level: string;
  @Field(() => String) reason: string;
}

@ObjectType("AuditEvent", { description: "One entry of the DPA 2018 s.62 log." })
@Directive("@shareable")
export class AuditEvent {
  @Field(() => String) seq: string;
  @Field(() => Date) at: Date;
  @Field(() => String, { nullable: true }) sub: string | null;
  @Field(() => String, { nullable: true }) org: string | null;
  @Field(() => [String]) roles: string[];
  @Field(() => String, { nullable: true }) purpose: string | null;
  @Field(() => String) operation: string;
  @Field(() => String, { description: "COLLECTION, ALTERATION, CONSULTATION, DISCLOSURE or ERASURE." }) action: string;
  @Field(() => String, { nullable: true }) requestId: string | null;
  @Field(() => [AuditedRecord]) records: AuditedRecord[];
  @Field(() => String, { nullable: true }) recipientOrg: string | null;
  @Field(() => String, { description: "Details as JSON." }) detail: string;
}

@ObjectType("AuditPageInfo")
@Directive("@shareable")
export class AuditPageInfo {
  @Field(() => String, { nullable: true }) endCursor: string | null;
  @Field(() => Boolean) hasNextPage: boolean;
}

@ObjectType("AuditPage")
@Directive("@shareable")
export class AuditPage {
  @Field(() => [AuditEvent]) nodes: AuditEvent[];
  @Field(() => AuditPageInfo) pageInfo: AuditPageInfo;
}
