import { Directive, Field, ObjectType } from "type-graphql";
import { AccessLevelEnum } from "./graphql-enums.js";

// Value types resolved by several subgraphs: identical definitions, marked @shareable.

@ObjectType("SpocContact", { description: "Single point of contact for intelligence sharing." })
@Directive("@shareable")
export class SpocContact {
  @Field(() => String) name: string;
  @Field(() => String) email: string;
  @Field(() => String) phone: string;
}

@ObjectType("AccessInfo", { description: "Why the caller sees what it sees of a record, and whom to ask." })
@Directive("@shareable")
export class AccessInfo {
  @Field(() => AccessLevelEnum) level: string;
  @Field(() => String, { description: "The policy rule that decided." }) reason: string;
  @Field(() => SpocContact, { description: "The owner's SPOC." }) contact: SpocContact;
}
