import { GraphQLJSONObject } from "graphql-scalars";
import { Directive, Field, InputType, ObjectType, registerEnumType } from "type-graphql";
import { AUDIT_ACTIONS } from "@interforce/audit";
// Returned by every force subgraph, so shared.
import { AccessInfo, AccessLevelEnum, AuditedRecordKindEnum, ClassificationEnum } from "@interforce/server-kit";
import { PageInfo } from "./types.js";

const AuditActionEnum = Object.fromEntries(AUDIT_ACTIONS.map((a) => [a, a])) as { [K in (typeof AUDIT_ACTIONS)[number]]: K };
registerEnumType(AuditActionEnum, { name: "AuditAction", description: "The DPA 2018 s.62 processing operation an audit entry records." });

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
  @Field(() => AuditedRecordKindEnum) kind: string;
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
  @Field(() => AuditActionEnum) action: string;
  @Field(() => String, { nullable: true }) requestId: string | null;
  @Field(() => [AuditedRecord]) records: AuditedRecord[];
  @Field(() => String, { nullable: true }) recipientOrg: string | null;
  @Field(() => GraphQLJSONObject, { description: "What else the entry records (counts, versions, the filters used), as an object." }) detail: Record<
    string,
    unknown
  >;
}

@ObjectType("AuditPage")
@Directive("@shareable")
export class AuditPage {
  @Field(() => [AuditEvent]) nodes: AuditEvent[];
  @Field(() => PageInfo) pageInfo: PageInfo;
}
