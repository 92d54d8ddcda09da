import { Arg, Ctx, Field, ID, Int, Mutation, ObjectType, Query, Resolver, registerEnumType } from "type-graphql";
import { authorize, badInput, SpocContact } from "@interforce/server-kit";
import { acknowledgeAlert, alertView, deskAlertView, listAlerts, listDeskAlerts, type AlertPage, type AlertRow } from "../modules/deconfliction.js";
import { checkFirst, decodeCursor, encodeCursor, isTimeKey } from "../modules/cursor.js";
import { PageInfo } from "./hub-types.js";
import type { HubContext } from "./context.js";
import { deskMaySeeSelector } from "@interforce/policy";
import { ownerLetsRead } from "../modules/owner-check.js";

const TriggerEnum = { RECORD: "RECORD", SEARCH: "SEARCH" } as const;
registerEnumType(TriggerEnum, { name: "DeconflictionTrigger", description: "RECORD: another org recorded the selector; SEARCH: another org searched it." });

@ObjectType("DeconflictionAlert", {
  description: "Two orgs have an interest in the same selector. Each side sees whom to contact, nothing more; a covert side is never named.",
})
class DeconflictionAlert {
  @Field(() => ID) id: string;
  @Field(() => TriggerEnum) trigger: string;
  @Field(() => String) selector: string;
  @Field(() => Date) raisedAt: Date;
  @Field(() => Date) lastAt: Date;
  @Field(() => Int) occurrences: number;
  @Field(() => ID, { nullable: true, description: "Your record holding the selector, if you hold it." }) yourRecordId: string | null;
  @Field(() => String, { nullable: true, description: "The other org; null when it must not be named (covert)." }) counterpartOrg: string | null;
  @Field(() => SpocContact) contact: SpocContact;
  @Field(() => String) advice: string;
  @Field(() => Date, { nullable: true }) acknowledgedAt: Date | null;
  @Field(() => String, { nullable: true }) acknowledgedBy: string | null;
}

@ObjectType("DeskDeconflictionAlert", {
  description:
    "An alert the CEOP deconfliction desk brokers (a covert side, or orgs outside any agreement in force): both orgs and their SPOCs, never the records.",
})
class DeskDeconflictionAlert {
  @Field(() => ID) id: string;
  @Field(() => TriggerEnum) trigger: string;
  @Field(() => String, {
    nullable: true,
    description: "The selector both sides hold; null unless the owner of one of its records lets you read that record (the desk brokers contact, not content).",
  })
  selector: string | null;
  @Field(() => Date) raisedAt: Date;
  @Field(() => Date) lastAt: Date;
  @Field(() => Int) occurrences: number;
  @Field(() => String, { description: "The org that held the selector first." }) holderOrg: string;
  @Field(() => Boolean) holderCovert: boolean;
  @Field(() => SpocContact) holderContact: SpocContact;
  @Field(() => String, { description: "The org that recorded or searched it." }) otherOrg: string;
  @Field(() => Boolean) otherCovert: boolean;
  @Field(() => SpocContact) otherContact: SpocContact;
  @Field(() => Boolean, { description: "Whether an agreement in force binds the two orgs." }) partners: boolean;
  @Field(() => Date, { nullable: true }) holderAcknowledgedAt: Date | null;
  @Field(() => Date, { nullable: true }) otherAcknowledgedAt: Date | null;
}

@ObjectType("DeconflictionAlertList")
class DeconflictionAlertList {
  @Field(() => [DeconflictionAlert]) nodes: DeconflictionAlert[];
  @Field(() => PageInfo) pageInfo: PageInfo;
}

@ObjectType("DeskDeconflictionAlertList")
class DeskDeconflictionAlertList {
  @Field(() => [DeskDeconflictionAlert]) nodes: DeskDeconflictionAlert[];
  @Field(() => PageInfo) pageInfo: PageInfo;
}

const pageInfo = (ctx: HubContext, page: AlertPage) => ({
  endCursor: page.endKey ? encodeCursor(ctx.keys, page.endKey) : null,
  hasNextPage: page.hasNextPage,
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function audit(ctx: HubContext, operation: string, alerts: AlertRow[], action: "CONSULTATION" | "ALTERATION") {
  return ctx.audit.record({
    action,
    operation,
    principal: ctx.principal,
    purpose: ctx.purpose,
    requestId: ctx.requestId,
    records: alerts.map((a) => ({ id: `alert:${a.id}`, kind: "deconfliction-alert", level: "FULL", reason: "party to the alert" })),
  });
}

@Resolver(() => DeconflictionAlert)
class DeconflictionResolver {
  @Query(() => DeconflictionAlertList, { description: "Your org's deconfliction alerts, most recent activity first (analysts and force admins)." })
  async deconflictionAlerts(
    @Ctx() ctx: HubContext,
    @Arg("acknowledged", () => Boolean, { nullable: true }) acknowledged: boolean | null,
    @Arg("first", () => Int, { defaultValue: 20 }) first: number,
    @Arg("after", () => String, { nullable: true }) after: string | null,
  ) {
    await authorize(ctx.principal, "alert.list", { purpose: ctx.purpose });
    checkFirst(first);
    const page = await listAlerts(ctx.db, ctx.principal, acknowledged ?? null, first, decodeCursor(ctx.keys, after, isTimeKey));
    await audit(ctx, "deconflictionAlerts", page.nodes, "CONSULTATION");
    return { nodes: page.nodes.map((r) => alertView(r, ctx.principal.org, ctx.keys)), pageInfo: pageInfo(ctx, page) };
  }

  @Query(() => DeskDeconflictionAlertList, {
    description:
      "For the CEOP deconfliction desk (CEOP analysts and force admins with the covert claim): the alerts whose sides were told to contact the desk, most recent activity first. `acknowledged: true` lists those both sides have acknowledged.",
  })
  async deconflictionDeskAlerts(
    @Ctx() ctx: HubContext,
    @Arg("acknowledged", () => Boolean, { nullable: true }) acknowledged: boolean | null,
    @Arg("first", () => Int, { defaultValue: 20 }) first: number,
    @Arg("after", () => String, { nullable: true }) after: string | null,
  ) {
    await authorize(ctx.principal, "alert.desk.list", { purpose: ctx.purpose });
    checkFirst(first);
    const page = await listDeskAlerts(ctx.db, ctx.principal, acknowledged ?? null, first, decodeCursor(ctx.keys, after, isTimeKey));
    const rows = page.nodes;
    await ctx.audit.record({
      action: "CONSULTATION",
      operation: "deconflictionDeskAlerts",
      principal: ctx.principal,
      purpose: ctx.purpose,
      requestId: ctx.requestId,
      records: rows.map((a) => ({ id: `alert:${a.id}`, kind: "deconfliction-alert", level: "FULL", reason: "deconfliction desk" })),
    });
    // Every owner is asked once for all the records of the page.
    const readable = (id: string | null) => (id ? ownerLetsRead(ctx, id) : Promise.resolve(false));
    const nodes = await Promise.all(
      rows.map(async (r) => {
        const [holderReadable, otherReadable] = await Promise.all([readable(r.holder_record_id), readable(r.other_record_id)]);
        const view = deskAlertView(r, ctx.keys);
        return { ...view, selector: deskMaySeeSelector({ holderReadable, otherReadable }) ? view.selector : null };
      }),
    );
    return { nodes, pageInfo: pageInfo(ctx, page) };
  }

  @Mutation(() => DeconflictionAlert, { description: "Mark an alert as dealt with by your org." })
  async acknowledgeDeconflictionAlert(@Ctx() ctx: HubContext, @Arg("id", () => ID) id: string) {
    await authorize(ctx.principal, "alert.acknowledge", { purpose: ctx.purpose });
    if (!UUID.test(id)) throw badInput("id is not a valid id", "id");
    const row = await acknowledgeAlert(ctx.db, ctx.principal, id);
    await audit(ctx, "acknowledgeDeconflictionAlert", [row], "ALTERATION");
    return alertView(row, ctx.principal.org, ctx.keys);
  }
}

export const DECONFLICTION_RESOLVERS = [DeconflictionResolver] as const;
