import { Directive, Field, ID, InputType, InterfaceType, ObjectType } from "type-graphql";
import { ClassificationEnum } from "@interforce/server-kit";
import { ForumRef } from "../../graphql/types.js";

const byTypename = (value: { __typename?: string }) => value.__typename;

@ObjectType("LeadOfficer", { description: "Who leads an org's monitoring of a forum: the person other orgs call to deconflict." })
@Directive("@shareable")
export class LeadOfficer {
  @Field(() => String) name: string;
  @Field(() => String) email: string;
  @Field(() => String) phone: string;
}

@InterfaceType("MonitoringAssignment", {
  resolveType: byTypename,
  autoRegisterImplementations: false,
  description:
    "An org's monitoring of a forum (joint monitoring). Covert assignments are known only to their org and to CEOP's deconfliction desk; overt ones also to analysts of partner orgs.",
})
export abstract class MonitoringAssignment {
  @Field(() => ID, { description: "<ORG>:monitoring:<uuid>; ORG is the monitoring org." })
  id: string;

  @Field(() => String, { description: "The monitoring org, which owns this record." })
  org: string;

  @Field(() => ForumRef, { description: "The forum monitored; it may belong to any org." })
  forum: ForumRef;

  @Field(() => Date)
  from: Date;

  @Field(() => Date, { nullable: true, description: "Null while open-ended." })
  to: Date | null;

  @Field(() => Boolean, { description: "from ≤ now < to." })
  active: boolean;

  @Field(() => Boolean, { description: "A covert deployment (undercover officers)." })
  covert: boolean;

  @Field(() => ClassificationEnum)
  classification: string;

  @Field(() => LeadOfficer)
  leadOfficer: LeadOfficer;

  @Field(() => String)
  createdBy: string;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date)
  updatedAt: Date;
}

@InputType("LeadOfficerInput")
export class LeadOfficerInput {
  @Field(() => String) name: string;
  @Field(() => String) email: string;
  @Field(() => String) phone: string;
}

@InputType("AssignMonitoringInput")
export class AssignMonitoringInput {
  @Field(() => ID, { description: "Global id of a forum of any org (ORG:forum:uuid)." })
  forumId: string;

  @Field(() => Date, { nullable: true, description: "Defaults to now." })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: "Null for open-ended; end it later with endMonitoring." })
  to?: Date | null;

  @Field(() => Boolean, { defaultValue: false })
  covert: boolean;

  @Field(() => ClassificationEnum, { defaultValue: "OFFICIAL" })
  classification: string;

  @Field(() => LeadOfficerInput)
  leadOfficer: LeadOfficerInput;
}
