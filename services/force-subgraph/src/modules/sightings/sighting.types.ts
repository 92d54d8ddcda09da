import { Field, ID, InputType, InterfaceType } from "type-graphql";
import { ClassificationEnum } from "@interforce/server-kit";
import { ForumRef, IdentityRef } from "../../graphql/types.js";

const byTypename = (value: { __typename?: string }) => value.__typename;

@InterfaceType("Sighting", {
  resolveType: byTypename,
  autoRegisterImplementations: false,
  description: "An org saw an identity (usually another org's). Known only to that org and to the identity's owner.",
})
export abstract class Sighting {
  @Field(() => ID, { description: "<ORG>:sighting:<uuid>; ORG is the org that saw the identity." })
  id: string;

  @Field(() => String, { description: "The org that saw the identity, which owns this record." })
  org: string;

  @Field(() => IdentityRef)
  identity: IdentityRef;

  @Field(() => Date)
  seenAt: Date;

  @Field(() => ForumRef, { nullable: true, description: "Where it was seen, if in a known forum." })
  forum: ForumRef | null;

  @Field(() => String, { nullable: true })
  note: string | null;

  @Field(() => ClassificationEnum)
  classification: string;

  @Field(() => String)
  createdBy: string;

  @Field(() => Date)
  createdAt: Date;
}

@InputType("RecordSightingInput")
export class RecordSightingInput {
  @Field(() => ID, { description: "Global id of an identity of any org (ORG:identity:uuid)." })
  identityId: string;

  @Field(() => Date)
  seenAt: Date;

  @Field(() => ID, { nullable: true, description: "Global id of the forum it was seen in, of any org." })
  forumId?: string | null;

  @Field(() => String, { nullable: true, description: "Stays with your org; the owner reads it from you." })
  note?: string | null;

  @Field(() => ClassificationEnum, { defaultValue: "OFFICIAL" })
  classification: string;
}
