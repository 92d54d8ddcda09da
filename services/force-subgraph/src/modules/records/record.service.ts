import { randomUUID } from "node:crypto";
import type { DataSource, EntityManager } from "typeorm";
import type { AuditAction, AuditLog } from "@interforce/audit";
import { formatGlobalId, normaliseHandle, parseGlobalId, type Classification, type Principal, type RecordKind } from "@interforce/domain";
import { linkMarkingsFloor, writeCeiling } from "@interforce/policy";
import { badInput, notFound } from "@interforce/server-kit";
import { ForumRow, IdentityRow, LinkRow, type MarkedRecord } from "../../db/entities.js";
import { policyRecord } from "../../graphql/views.js";
import { claimKey, replay, settleKey } from "./idempotency.js";
import { enqueueForumPointer, enqueueForumRemoval } from "../monitoring/forum-pointer.js";
import { enqueueSelectorPointer, enqueueSelectorRemoval } from "../selectors/selector-pointer.js";
import { ForumInput, IdentityInput, LinkInput, Reclassify, Review, validate, type MarkingsValue } from "./validation.js";
import { END_ENTITIES, HiddenFromWriter, refusingHidden, writerDecision, writerMayRead } from "./write-access.js";
import { insertRow } from "../../db/insert.js";

function markingColumns(m: MarkingsValue, principal: Principal) {
  return {
    classification: m.classification,
    sourceEvaluation: m.source,
    assessment: m.assessment,
    handling: m.handling,
    handlingConditions: m.conditions,
    handlingOrgs: m.conditionsOrgs,
    covert: m.covert,
    reviewDue: m.reviewDue,
    createdBy: principal.sub,
  };
}

/**
 * Writes of one force. Each record and its outbox event are written in one transaction,
 * so the hub's selector index can neither miss nor double a record.
 */
export interface WriteMeta {
  requestId: string;
  purpose: string | null;
  /** A client-supplied key: a retried write with the same key returns the first result. */
  idempotencyKey?: string | null;
}

export class RecordService {
  constructor(
    private readonly db: DataSource,
    private readonly org: string,
    private readonly audit: AuditLog,
    private readonly meta: WriteMeta,
  ) {}

  /** The audit event commits or rolls back with the change it records. */
  private logWrite(
    m: EntityManager,
    principal: Principal,
    action: AuditAction,
    operation: string,
    kind: RecordKind,
    uuid: string,
    detail: Record<string, unknown> = {},
  ) {
    return this.audit.record(
      {
        action,
        operation,
        principal,
        purpose: this.meta.purpose,
        requestId: this.meta.requestId,
        records: [{ id: formatGlobalId(this.org, kind, uuid), kind, level: "FULL", reason: "owner" }],
        detail,
      },
      { manager: m },
    );
  }

  async recordIdentity(principal: Principal, raw: unknown): Promise<IdentityRow> {
    const input = validate(IdentityInput, raw);
    const normalised = normaliseHandle(input.handle);
    if (!normalised) throw badInput("input.handle has no letters to match on", "input.handle");
    const row = Object.assign(new IdentityRow(), {
      id: randomUUID(),
      platform: input.platform,
      platformOther: input.platformOther,
      handle: input.handle,
      normalisedHandle: normalised,
      displayName: input.displayName,
      profileUrl: input.profileUrl,
      status: input.status,
      notes: input.notes,
      firstSeen: input.firstSeen,
      lastSeen: input.lastSeen,
      emailHashes: input.emails,
      phoneHashes: input.phones,
      ...markingColumns(input.markings, principal),
    });
    this.ceiling(principal, "identity", row, "input.markings");
    return this.db.transaction("READ COMMITTED", async (m) => {
      const prior = await claimKey(m, principal, this.meta.idempotencyKey, "recordOnlineIdentity", raw);
      if (prior) return replay(m, IdentityRow, prior);
      const saved = await insertRow(m, row);
      await settleKey(m, principal, this.meta.idempotencyKey, formatGlobalId(this.org, "identity", saved.id));
      await this.enqueueSelector(m, saved);
      await this.logWrite(m, principal, "COLLECTION", "recordOnlineIdentity", "identity", saved.id);
      return saved;
    });
  }

  async recordForum(principal: Principal, raw: unknown): Promise<ForumRow> {
    const input = validate(ForumInput, raw);
    const row = Object.assign(new ForumRow(), {
      id: randomUUID(),
      platform: input.platform,
      name: input.name,
      url: input.url,
      kind: input.kind,
      riskSummary: input.riskSummary,
      riskLevel: input.riskLevel,
      ...markingColumns(input.markings, principal),
    });
    this.ceiling(principal, "forum", row, "input.markings");
    return this.db.transaction("READ COMMITTED", async (m) => {
      const prior = await claimKey(m, principal, this.meta.idempotencyKey, "recordForum", raw);
      if (prior) return replay(m, ForumRow, prior);
      const saved = await insertRow(m, row);
      await settleKey(m, principal, this.meta.idempotencyKey, formatGlobalId(this.org, "forum", saved.id));
      await enqueueForumPointer(m, this.org, saved);
      await this.logWrite(m, principal, "COLLECTION", "recordForum", "forum", saved.id);
      return saved;
    });
  }

  async linkIdentities(principal: Principal, raw: unknown): Promise<LinkRow> {
    const input = validate(LinkInput, raw);
    const row = Object.assign(new LinkRow(), {
      id: randomUUID(),
      fromId: input.fromId,
      toIdentityId: input.toIdentityId,
      toForumId: input.toForumId,
      linkType: input.linkType,
      rationale: input.rationale,
      ...markingColumns(input.markings, principal),
    });
    this.ceiling(principal, "link", row, "input.markings");
    return refusingHidden(this.audit, this.meta, principal, "linkIdentities", () =>
      this.db.transaction("READ COMMITTED", async (m) => {
        await this.checkOwnEnds(m, principal, input);
        const prior = await claimKey(m, principal, this.meta.idempotencyKey, "linkIdentities", raw);
        if (prior) return replay(m, LinkRow, prior);
        const saved = await insertRow(m, row);
        await settleKey(m, principal, this.meta.idempotencyKey, formatGlobalId(this.org, "link", saved.id));
        await this.logWrite(m, principal, "COLLECTION", "linkIdentities", "link", saved.id, { from: row.fromId, to: row.toIdentityId ?? row.toForumId });
        return saved;
      }),
    );
  }

  /**
   * Only the owner changes a record's classification (the namespace guarantees the caller
   * is of the owning org), and only a record the caller may read in full; raising and
   * lowering are both audited with the old value.
   */
  async reclassify(principal: Principal, id: string, classification: string, reason: string): Promise<{ kind: RecordKind; row: MarkedRecord }> {
    const { kind, entity, uuid } = this.ownRecord(id);
    const input = validate(Reclassify, { classification, reason }, "");
    return refusingHidden(this.audit, this.meta, principal, "reclassifyRecord", () =>
      this.db.transaction("READ COMMITTED", async (m) => {
        const prior = await claimKey(m, principal, this.meta.idempotencyKey, "reclassifyRecord", { id, classification, reason });
        const row = await this.lockReadable(m, principal, id, kind, entity, uuid);
        if (!row) {
          if (prior) return { kind, row: await replay(m, entity, prior) };
          throw this.noSuchRecord(kind);
        }
        if (prior) return { kind, row };
        this.ceiling(principal, kind, { ...row, classification: input.classification } as MarkedRecord, "");
        await settleKey(m, principal, this.meta.idempotencyKey, id);
        const from = row.classification;
        row.classification = input.classification;
        const saved = await m.save(row);
        if (kind === "identity") await this.enqueueSelector(m, saved as IdentityRow);
        if (kind === "forum") await enqueueForumPointer(m, this.org, saved as ForumRow);
        await this.logWrite(m, principal, "ALTERATION", "reclassifyRecord", kind, uuid, { from, to: input.classification, reason: input.reason });
        return { kind, row: saved };
      }),
    );
  }

  /**
   * MoPI review: retain with a new review date, or erase, of a record the caller may read
   * in full. An erased identity's pointer leaves the hub's index through the outbox, in the
   * same transaction.
   */
  async review(
    principal: Principal,
    id: string,
    decision: "RETAIN" | "DELETE",
    nextReviewDue: Date | null,
    reason: string | null,
  ): Promise<{ kind: RecordKind; row: MarkedRecord | null }> {
    const { kind, entity, uuid } = this.ownRecord(id);
    const input = validate(Review, { decision, nextReviewDue, reason }, "");
    return refusingHidden(this.audit, this.meta, principal, "reviewRecord", () =>
      this.db.transaction("READ COMMITTED", async (m) => {
        const prior = await claimKey(m, principal, this.meta.idempotencyKey, "reviewRecord", { id, decision, nextReviewDue, reason });
        const row = await this.lockReadable(m, principal, id, kind, entity, uuid);
        // A replayed erasure finds nothing left: it returns null, as the first one did.
        if (!row) {
          if (prior) return { kind, row: null };
          throw this.noSuchRecord(kind);
        }
        if (prior) return { kind, row };
        await settleKey(m, principal, this.meta.idempotencyKey, id);
        const previous = row.reviewDue;
        if (input.decision === "RETAIN") {
          row.reviewDue = input.nextReviewDue;
          const saved = await m.save(row);
          if (kind === "identity") await this.enqueueSelector(m, saved as IdentityRow);
          if (kind === "forum") await enqueueForumPointer(m, this.org, saved as ForumRow);
          await this.logWrite(m, principal, "ALTERATION", "reviewRecord", kind, uuid, {
            decision: "RETAIN",
            previous,
            next: input.nextReviewDue,
            reason: input.reason,
          });
          return { kind, row: saved };
        }
        await m.getRepository(entity).delete({ id: uuid });
        if (kind === "identity") await this.enqueueRemoval(m, row as IdentityRow);
        if (kind === "forum") await enqueueForumRemoval(m, this.org, uuid);
        await this.logWrite(m, principal, "ERASURE", "reviewRecord", kind, uuid, { decision: "DELETE", reason: input.reason });
        return { kind, row: null };
      }),
    );
  }

  /**
   * The write ceiling of @interforce/policy: a writer records only what it may itself read, so
   * the answer of the mutation is one the read rule shows it.
   */
  private ceiling(principal: Principal, kind: RecordKind, row: MarkedRecord, prefix: string): void {
    const over = writeCeiling(principal, policyRecord(this.org, kind, row));
    if (!over) return;
    const field = prefix ? `${prefix}.${over.field}` : over.field;
    throw badInput(`${field} ${over.message}`, field);
  }

  private ownRecord(id: string) {
    const g = parseGlobalId(id);
    if (!g || g.org !== this.org) throw badInput(`id must be a global id of a ${this.org} record`, "id");
    const entity = { identity: IdentityRow, forum: ForumRow, link: LinkRow }[g.kind] as new () => MarkedRecord;
    return { kind: g.kind, entity, uuid: g.uuid };
  }

  private noSuchRecord(kind: RecordKind) {
    return notFound(`No ${kind} of ${this.org} with that id`);
  }

  /**
   * The record, locked for the change, or null when there is none. A record the principal
   * may not read in full is refused exactly as one that does not exist (HiddenFromWriter).
   */
  private async lockReadable(
    m: EntityManager,
    principal: Principal,
    id: string,
    kind: RecordKind,
    entity: new () => MarkedRecord,
    uuid: string,
  ): Promise<MarkedRecord | null> {
    const row = await m.getRepository(entity).findOne({ where: { id: uuid }, lock: { mode: "pessimistic_write" } });
    if (!row) return null;
    const decision = await writerMayRead(m, principal, this.org, kind, row);
    if (decision.level !== "FULL") throw new HiddenFromWriter(id, kind, decision, this.noSuchRecord(kind));
    return row;
  }

  /**
   * Ends of this org must exist and be readable in full by the principal (one it may not
   * read is answered as one that does not exist), and the link must be at least as covert
   * and as highly classified as each of them, so that no one who may read the link is
   * shown the id of an end hidden from them. They are locked against change until the
   * link commits. Ends of other orgs are their owners' to resolve.
   */
  private async checkOwnEnds(
    m: EntityManager,
    principal: Principal,
    input: { fromId: string; toIdentityId: string | null; toForumId: string | null; markings: MarkingsValue },
  ): Promise<void> {
    const ends: [string | null, string][] = [
      [input.fromId, "input.fromId"],
      [input.toIdentityId, "input.toIdentityId"],
      [input.toForumId, "input.toForumId"],
    ];
    const found: { field: string; row: MarkedRecord }[] = [];
    for (const [id, field] of ends) {
      const g = id ? parseGlobalId(id) : null;
      if (!id || !g || g.org !== this.org) continue;
      const kind = g.kind === "forum" ? "forum" : "identity";
      const row = await m.getRepository(END_ENTITIES[kind]).findOne({ where: { id: g.uuid }, lock: { mode: "pessimistic_read" } });
      const missing = badInput(`${field} names no ${g.kind} of ${this.org}`, field);
      if (!row) throw missing;
      const decision = writerDecision(principal, this.org, kind, row);
      if (decision.level !== "FULL") throw new HiddenFromWriter(id, kind, decision, missing);
      found.push({ field, row });
    }
    const floor = linkMarkingsFloor(
      input.markings,
      found.map((e) => ({ field: e.field, covert: e.row.covert, classification: e.row.classification as Classification })),
    );
    if (floor?.marking === "covert") throw badInput(`input.markings.covert must be true: ${floor.end} is covert`, "input.markings.covert");
    if (floor)
      throw badInput(`input.markings.classification must be at least ${floor.floor}, the classification of ${floor.end}`, "input.markings.classification");
  }

  private async enqueueRemoval(m: EntityManager, row: IdentityRow): Promise<void> {
    await enqueueSelectorRemoval(m, this.org, row);
  }

  private async enqueueSelector(m: EntityManager, row: IdentityRow): Promise<void> {
    await enqueueSelectorPointer(m, this.org, row);
  }
}
