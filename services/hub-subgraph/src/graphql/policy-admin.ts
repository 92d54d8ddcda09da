import { Arg, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, Root, registerEnumType } from "type-graphql";
import { ClassificationEnum, RecordKindEnum, authorize, badInput } from "@interforce/server-kit";
import { AgreementRow } from "../db/entities.js";
import { AgreementInput, AgreementService } from "../modules/agreements.js";
import { accessRequestSqlPredicate, agreementSqlPredicate, mayKnowAgreement, positional } from "@interforce/policy";
import { AccessRequestService, type AccessRequestRow } from "../modules/access-requests.js";
import { validate } from "@interforce/server-kit";
import { checkFirst, decodeCursor, encodeCursor, exactTime, isNameKey, isTimeKey, isVersionKey } from "../modules/cursor.js";
import { PageInfo } from "./hub-types.js";
import type { HubContext } from "./context.js";

const AgreementStatusEnum = { ACTIVE: "ACTIVE", SUSPENDED: "SUSPENDED", REVOKED: "REVOKED" } as const;
registerEnumType(AgreementStatusEnum, { name: "AgreementStatus" });
const AccessRequestStatusEnum = { PENDING: "PENDING", GRANTED: "GRANTED", DECLINED: "DECLINED" } as const;
registerEnumType(AccessRequestStatusEnum, { name: "AccessRequestStatus" });
const AccessDecisionEnum = { GRANT: "GRANT", DECLINE: "DECLINE" } as const;
registerEnumType(AccessDecisionEnum, { name: "AccessDecision" });

const AgreementChangeEnum = { CREATED: "CREATED", AMENDED: "AMENDED", SUSPENDED: "SUSPENDED", REINSTATED: "REINSTATED", REVOKED: "REVOKED" } as const;
registerEnumType(AgreementChangeEnum, { name: "AgreementChange", description: "What a change to an agreement did." });

@ObjectType("AgreementVersion", { description: "One version of an agreement, as it stood after a change." })
class AgreementVersion {
  @Field(() => Int) version: number;
  @Field(() => AgreementChangeEnum) change: string;
  @Field(() => String, { nullable: true }) reason: string | null;
  @Field(() => String) changedBy: string;
  @Field(() => Date) changedAt: Date;
  @Field(() => [String]) members: string[];
  @Field(() => [RecordKindEnum]) kinds: string[];
  @Field(() => ClassificationEnum) maxClassification: string;
  @Field(() => AgreementStatusEnum) status: string;
  @Field(() => Date) validFrom: Date;
  @Field(() => Date, { nullable: true }) validTo: Date | null;
}

@ObjectType("Agreement", { description: "A joint-monitoring agreement: who shares which kinds of record, up to which classification." })
class Agreement {
  @Field(() => ID) id: string;
  @Field(() => String) name: string;
  @Field(() => [String]) members: string[];
  @Field(() => [RecordKindEnum]) kinds: string[];
  @Field(() => ClassificationEnum) maxClassification: string;
  @Field(() => AgreementStatusEnum) status: string;
  @Field(() => Date) validFrom: Date;
  @Field(() => Date, { nullable: true }) validTo: Date | null;
  @Field(() => Int) version: number;
  @Field(() => Date) updatedAt: Date;
}

@ObjectType("AgreementVersionList")
class AgreementVersionList {
  @Field(() => [AgreementVersion]) nodes: AgreementVersion[];
  @Field(() => PageInfo) pageInfo: PageInfo;
}

@ObjectType("AgreementList")
class AgreementList {
  @Field(() => [Agreement]) nodes: Agreement[];
  @Field(() => PageInfo) pageInfo: PageInfo;
}

@InputType("AgreementInput")
class AgreementInputType {
  @Field(() => String) name: string;
  @Field(() => [String]) members: string[];
  @Field(() => [RecordKindEnum]) kinds: string[];
  @Field(() => ClassificationEnum) maxClassification: string;
  @Field(() => Date) validFrom: Date;
  @Field(() => Date, { nullable: true }) validTo?: Date | null;
}

@ObjectType("AccessRequest", { description: "A request to an owner to release a record found as a POINTER." })
class AccessRequest {
  @Field(() => ID) id: string;
  @Field(() => ID) recordId: string;
  @Field(() => String) owner: string;
  @Field(() => String) requesterOrg: string;
  @Field(() => String) requesterSub: string;
  @Field(() => String) purpose: string;
  @Field(() => AccessRequestStatusEnum) status: string;
  @Field(() => Date) createdAt: Date;
  @Field(() => Date, { nullable: true }) decidedAt: Date | null;
  @Field(() => String, { nullable: true }) decidedBy: string | null;
  @Field(() => String, { nullable: true }) note: string | null;
  @Field(() => Date, { nullable: true }) grantExpiresAt: Date | null;
}

@ObjectType("AccessRequestList")
class AccessRequestList {
  @Field(() => [AccessRequest]) nodes: AccessRequest[];
  @Field(() => PageInfo) pageInfo: PageInfo;
}

const requestView = (r: AccessRequestRow): AccessRequest => ({
  id: r.id,
  recordId: r.record_id,
  owner: r.owner_org,
  requesterOrg: r.requester_org,
  requesterSub: r.requester_sub,
  purpose: r.purpose,
  status: r.status,
  createdAt: r.created_at,
  decidedAt: r.decided_at,
  decidedBy: r.decided_by,
  note: r.note,
  grantExpiresAt: r.grant_expires_at,
});

type HistoryRow = { version: number; change: string; reason: string | null; changed_by: string; changed_at: Date; snapshot: Record<string, unknown> };
const historyView = (r: HistoryRow): AgreementVersion => ({
  version: r.version,
  change: r.change,
  reason: r.reason,
  changedBy: r.changed_by,
  changedAt: r.changed_at,
  members: r.snapshot.members as string[],
  kinds: r.snapshot.kinds as string[],
  maxClassification: r.snapshot.maxClassification as string,
  status: r.snapshot.status as string,
  validFrom: new Date(r.snapshot.validFrom as string),
  validTo: r.snapshot.validTo ? new Date(r.snapshot.validTo as string) : null,
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const checkUuid = (id: string, field = "id") => {
  if (!UUID.test(id)) throw badInput(`${field} is not a valid id`, field);
};

@Resolver(() => Agreement)
class AgreementResolver {
  @Query(() => AgreementList, { description: "Agreements, by name. Policy admins see all; others those naming their org." })
  async agreements(
    @Ctx() ctx: HubContext,
    @Arg("status", () => AgreementStatusEnum, { nullable: true }) status: string | null,
    @Arg("first", () => Int, { defaultValue: 50 }) first: number,
    @Arg("after", () => String, { nullable: true }) after: string | null,
  ): Promise<AgreementList> {
    await authorize(ctx.principal, "agreement.read", { purpose: ctx.purpose });
    checkFirst(first);
    const cursor = decodeCursor(ctx.keys, after, isNameKey);
    const qb = ctx.db.getRepository(AgreementRow).createQueryBuilder("a").orderBy("a.name", "ASC").addOrderBy("a.id", "ASC");
    if (status) qb.andWhere("a.status = :status", { status });
    if (cursor) qb.andWhere("(a.name, a.id) > (:n, CAST(:id AS uuid))", { n: cursor.n, id: cursor.id });
    const visible = agreementSqlPredicate(ctx.principal, "a.members");
    qb.andWhere(visible.sql, visible.params);
    const rows = await qb.limit(first + 1).getMany();
    const nodes = rows.slice(0, first);
    const last = nodes.at(-1);
    return { nodes, pageInfo: { endCursor: last ? encodeCursor(ctx.keys, { n: last.name, id: last.id }) : null, hasNextPage: rows.length > first } };
  }

  @Query(() => Agreement, { nullable: true })
  async agreement(@Ctx() ctx: HubContext, @Arg("id", () => ID) id: string): Promise<Agreement | null> {
    await authorize(ctx.principal, "agreement.read", { purpose: ctx.purpose });
    checkUuid(id);
    const row = await ctx.db.getRepository(AgreementRow).findOneBy({ id });
    return row && mayKnowAgreement(ctx.principal, row) ? row : null;
  }

  @FieldResolver(() => AgreementVersionList, { description: "Every version, newest first." })
  async history(
    @Root() a: Agreement,
    @Ctx() ctx: HubContext,
    @Arg("first", () => Int, { defaultValue: 20 }) first: number,
    @Arg("after", () => String, { nullable: true }) after: string | null,
  ): Promise<AgreementVersionList> {
    checkFirst(first);
    const cursor = decodeCursor(ctx.keys, after, isVersionKey);
    const rows: HistoryRow[] = await ctx.db.query(
      `SELECT version, change, reason, changed_by, changed_at, snapshot FROM agreement_history
          WHERE agreement_id = $1 AND ($2::int IS NULL OR version < $2) ORDER BY version DESC LIMIT $3`,
      [a.id, cursor?.v ?? null, first + 1],
    );
    const page = rows.slice(0, first);
    const last = page.at(-1);
    return {
      nodes: page.map(historyView),
      pageInfo: { endCursor: last ? encodeCursor(ctx.keys, { v: last.version }) : null, hasNextPage: rows.length > first },
    };
  }

  @Mutation(() => Agreement, { description: "POLICY_ADMIN: create an ACTIVE agreement." })
  async createAgreement(@Ctx() ctx: HubContext, @Arg("input", () => AgreementInputType) input: AgreementInputType): Promise<Agreement> {
    await authorize(ctx.principal, "agreement.manage", { purpose: ctx.purpose });
    const row = await new AgreementService(ctx.db).create(ctx.principal, validate(AgreementInput, input));
    await auditAgreement(ctx, "createAgreement", row, null);
    return row;
  }

  @Mutation(() => Agreement, { description: "POLICY_ADMIN: change members, kinds, ceiling or validity. Name the version you saw." })
  async amendAgreement(
    @Ctx() ctx: HubContext,
    @Arg("id", () => ID) id: string,
    @Arg("expectedVersion", () => Int) expectedVersion: number,
    @Arg("input", () => AgreementInputType) input: AgreementInputType,
    @Arg("reason", () => String, { nullable: true }) reason: string | null,
  ): Promise<Agreement> {
    await authorize(ctx.principal, "agreement.manage", { purpose: ctx.purpose });
    checkUuid(id);
    const row = await new AgreementService(ctx.db).amend(ctx.principal, id, expectedVersion, validate(AgreementInput, input), reason);
    await auditAgreement(ctx, "amendAgreement", row, reason);
    return row;
  }

  @Mutation(() => Agreement, { description: "POLICY_ADMIN: stop sharing under an agreement for now." })
  suspendAgreement(
    @Ctx() ctx: HubContext,
    @Arg("id", () => ID) id: string,
    @Arg("expectedVersion", () => Int) v: number,
    @Arg("reason", () => String) reason: string,
  ) {
    return transition(ctx, id, v, "SUSPENDED", reason);
  }

  @Mutation(() => Agreement, { description: "POLICY_ADMIN: resume a suspended agreement." })
  reinstateAgreement(
    @Ctx() ctx: HubContext,
    @Arg("id", () => ID) id: string,
    @Arg("expectedVersion", () => Int) v: number,
    @Arg("reason", () => String) reason: string,
  ) {
    return transition(ctx, id, v, "REINSTATED", reason);
  }

  @Mutation(() => Agreement, { description: "POLICY_ADMIN: end an agreement for good. In force everywhere within seconds." })
  revokeAgreement(
    @Ctx() ctx: HubContext,
    @Arg("id", () => ID) id: string,
    @Arg("expectedVersion", () => Int) v: number,
    @Arg("reason", () => String) reason: string,
  ) {
    return transition(ctx, id, v, "REVOKED", reason);
  }
}

async function transition(ctx: HubContext, id: string, version: number, change: "SUSPENDED" | "REINSTATED" | "REVOKED", reason: string) {
  await authorize(ctx.principal, "agreement.manage", { purpose: ctx.purpose });
  checkUuid(id);
  if (!reason.trim()) throw badInput("reason is required", "reason");
  const row = await new AgreementService(ctx.db).transition(ctx.principal, id, version, change, reason.trim());
  await auditAgreement(ctx, `${change.toLowerCase()}Agreement`, row, reason);
  return row;
}

function auditAgreement(ctx: HubContext, operation: string, row: AgreementRow, reason: string | null) {
  return ctx.audit.record({
    action: "ALTERATION",
    operation,
    principal: ctx.principal,
    purpose: ctx.purpose,
    requestId: ctx.requestId,
    records: [{ id: `agreement:${row.id}`, kind: "agreement", level: "FULL", reason: "policy admin" }],
    detail: { version: row.version, status: row.status, members: row.members, kinds: row.kinds, maxClassification: row.maxClassification, reason },
  });
}

@Resolver(() => AccessRequest)
class AccessRequestResolver {
  @Mutation(() => AccessRequest, { description: "Ask the owner of a record found as a POINTER to release it to your org." })
  async requestAccess(
    @Ctx() ctx: HubContext,
    @Arg("recordId", () => ID) recordId: string,
    @Arg("purpose", () => String) purpose: string,
  ): Promise<AccessRequest> {
    await authorize(ctx.principal, "access.request", { purpose: ctx.purpose });
    const row = await new AccessRequestService(ctx.db).request(ctx.principal, recordId, purpose);
    await ctx.audit.record({
      action: "CONSULTATION",
      operation: "requestAccess",
      principal: ctx.principal,
      purpose,
      requestId: ctx.requestId,
      records: [{ id: recordId, kind: "identity", level: "POINTER", reason: "access requested" }],
      recipientOrg: row.owner_org,
      detail: { requestId: row.id },
    });
    return requestView(row);
  }

  @Query(() => AccessRequestList, {
    description: "FORCE_ADMIN: requests for your org's records. Others: your org's own requests. Newest first.",
  })
  async accessRequests(
    @Ctx() ctx: HubContext,
    @Arg("status", () => AccessRequestStatusEnum, { nullable: true }) status: string | null,
    @Arg("first", () => Int, { defaultValue: 20 }) first: number,
    @Arg("after", () => String, { nullable: true }) after: string | null,
  ): Promise<AccessRequestList> {
    await authorize(ctx.principal, "access.request.list", { purpose: ctx.purpose });
    checkFirst(first);
    const cursor = decodeCursor(ctx.keys, after, isTimeKey);
    // Need-to-know: the requester sees its own requests; the owner's FORCE_ADMIN those for records it may read in full.
    const visible = positional(accessRequestSqlPredicate(ctx.principal, "r", "m"), 2);
    const n = visible.values.length;
    const rows: (AccessRequestRow & { created_key: string })[] = await ctx.db.query(
      `SELECT r.*, ${exactTime("r.created_at")} AS created_key FROM access_request r
         LEFT JOIN LATERAL (SELECT * FROM selector_pointer p WHERE p.record_id = r.record_id LIMIT 1) m ON true
        WHERE ${visible.text} AND ($1::text IS NULL OR r.status = $1)
          AND ($${n + 3}::timestamptz IS NULL OR (r.created_at, r.id) < ($${n + 3}::timestamptz, $${n + 4}::uuid))
        ORDER BY r.created_at DESC, r.id DESC LIMIT $${n + 2}`,
      [status, ...visible.values, first + 1, cursor?.t ?? null, cursor?.id ?? null],
    );
    const page = rows.slice(0, first);
    const last = page.at(-1);
    return {
      nodes: page.map(requestView),
      pageInfo: { endCursor: last ? encodeCursor(ctx.keys, { t: last.created_key, id: last.id }) : null, hasNextPage: rows.length > first },
    };
  }

  @Mutation(() => AccessRequest, { description: "FORCE_ADMIN of the owner: grant (until expiresAt, at most 90 days) or decline." })
  async decideAccessRequest(
    @Ctx() ctx: HubContext,
    @Arg("id", () => ID) id: string,
    @Arg("decision", () => AccessDecisionEnum) decision: string,
    @Arg("expiresAt", () => Date, { nullable: true }) expiresAt: Date | null,
    @Arg("note", () => String, { nullable: true }) note: string | null,
  ): Promise<AccessRequest> {
    await authorize(ctx.principal, "access.decide", { purpose: ctx.purpose });
    checkUuid(id);
    const row = await new AccessRequestService(ctx.db).decide(ctx.principal, id, decision === "GRANT", expiresAt, note);
    await ctx.audit.record({
      action: decision === "GRANT" ? "DISCLOSURE" : "CONSULTATION",
      operation: "decideAccessRequest",
      principal: ctx.principal,
      purpose: ctx.purpose,
      requestId: ctx.requestId,
      records: [{ id: row.record_id, kind: "identity", level: decision === "GRANT" ? "FULL" : "NONE", reason: `owner ${decision.toLowerCase()}` }],
      recipientOrg: row.requester_org,
      detail: { accessRequest: row.id, expiresAt: row.grant_expires_at },
    });
    return requestView(row);
  }
}

export const POLICY_ADMIN_RESOLVERS = [AgreementResolver, AccessRequestResolver] as const;
