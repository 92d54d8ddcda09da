import { randomUUID } from "node:crypto";
import type { DataSource, EntityManager } from "typeorm";
import { formatGlobalId, handleSelector, normaliseHandle, parseGlobalId, type Principal } from "@interforce/domain";
import { badInput } from "@interforce/server-kit";
import { ForumRow, IdentityRow, LinkRow, OutboxRow } from "../../db/entities.js";
import { ForumInput, IdentityInput, LinkInput, validate, type MarkingsValue } from "./validation.js";

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
export class RecordService {
  constructor(
    private readonly db: DataSource,
    private readonly org: string,
  ) {}

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
      ...markingColumns(input.markings, principal),
    });
    return this.db.transaction(async (m) => {
      const saved = await m.save(row);
      await this.enqueueSelector(m, saved);
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
      ...markingColumns(input.markings, principal),
    });
    return this.db.getRepository(ForumRow).save(row);
  }

  async linkIdentities(principal: Principal, raw: unknown): Promise<LinkRow> {
    const input = validate(LinkInput, raw);
    // Ends owned by this force must exist; ends of other forces are their owners' to resolve.
    await this.requireOwnEnd(input.fromId, "input.fromId");
    if (input.toIdentityId) await this.requireOwnEnd(input.toIdentityId, "input.toIdentityId");
    if (input.toForumId) await this.requireOwnEnd(input.toForumId, "input.toForumId");
    const row = Object.assign(new LinkRow(), {
      id: randomUUID(),
      fromId: input.fromId,
      toIdentityId: input.toIdentityId,
      toForumId: input.toForumId,
      linkType: input.linkType,
      rationale: input.rationale,
      ...markingColumns(input.markings, principal),
    });
    return this.db.getRepository(LinkRow).save(row);
  }

  private async requireOwnEnd(id: string, field: string): Promise<void> {
    const g = parseGlobalId(id)!;
    if (g.org !== this.org) return;
    const entity = g.kind === "identity" ? IdentityRow : ForumRow;
    const exists = await this.db.getRepository(entity).exist({ where: { id: g.uuid } });
    if (!exists) throw badInput(`${field} names no ${g.kind} of ${this.org}`, field);
  }

  private async enqueueSelector(m: EntityManager, row: IdentityRow): Promise<void> {
    const eventId = randomUUID();
    await m.save(
      Object.assign(new OutboxRow(), {
      eventId,
      topic: "selector.upsert",
      payload: {
        eventId,
        org: this.org,
        kind: "identity",
        recordId: formatGlobalId(this.org, "identity", row.id),
        selector: handleSelector(row.handle, row.platform),
        platform: row.platform,
        classification: row.classification,
        handling: row.handling,
        handlingOrgs: row.handlingOrgs,
        covert: row.covert,
        reviewDue: row.reviewDue ? row.reviewDue.toISOString() : null,
      },
      }),
    );
  }
}
