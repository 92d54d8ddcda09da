import { randomUUID } from "node:crypto";
import type { EntityManager } from "typeorm";
import { formatGlobalId, formatOwnedId, parseGlobalId, parseOwnedId, type Classification, type Principal } from "@interforce/domain";
import { badInput, notFound, validate } from "@interforce/server-kit";
import type { ForceContext } from "../../context.js";
import { ForumRow } from "../../db/entities.js";
import { claimKey, settleKey } from "../records/idempotency.js";
import { HiddenFromWriter, refusingHidden, requireOwnNamedRecord, writerDecision } from "../records/write-access.js";
import { assignmentRule } from "./assignment-rule.js";
import { enqueueForumPointer } from "./forum-pointer.js";
import { MonitoringAssignmentRow } from "./monitoring.entity.js";
import { AssignMonitoring, EndMonitoring, SetRiskLevel } from "./monitoring.validation.js";
import { auditOwnedWrite, enqueue } from "./owned-records.js";
import { insertRow } from "../../db/insert.js";

/**
 * Writes of this org's monitoring assignments. Each change, its outbox event (the hub's
 * pointer: ids, org, dates, covert, classification — never the lead officer) and its audit
 * event commit together; a client key makes a retry return the first result.
 */
export class MonitoringService {
  private readonly org: string;

  constructor(
    private readonly ctx: ForceContext,
    private readonly idempotencyKey: string | null,
  ) {
    this.org = ctx.org.code;
  }

  private ref(row: MonitoringAssignmentRow) {
    return { id: formatOwnedId(this.org, "monitoring", row.id), kind: "monitoring-assignment" as const };
  }

  private publish(m: EntityManager, row: MonitoringAssignmentRow) {
    return enqueue(m, "monitoring.upsert", {
      org: this.org,
      assignmentId: formatOwnedId(this.org, "monitoring", row.id),
      forumId: row.forumId,
      validFrom: row.validFrom.toISOString(),
      validTo: row.validTo ? row.validTo.toISOString() : null,
      covert: row.covert,
      // A text column; the contract checks its value before the event is stored.
      classification: row.classification as Classification,
      at: new Date().toISOString(),
    });
  }

  private async replay(m: EntityManager, resultId: string): Promise<MonitoringAssignmentRow> {
    const g = parseOwnedId(resultId, "monitoring");
    const row = g ? await m.getRepository(MonitoringAssignmentRow).findOneBy({ id: g.uuid }) : null;
    if (!row) throw badInput("the request of this idempotencyKey produced a record that no longer exists", "idempotencyKey");
    return row;
  }

  async assign(principal: Principal, raw: unknown): Promise<MonitoringAssignmentRow> {
    const input = validate(AssignMonitoring, raw);
    // A forum of this org must exist and be readable in full by the principal (one it may not
    // read is refused as one that does not exist); another org's forum is its owner's to resolve.
    const own = (await requireOwnNamedRecord(
      this.ctx,
      principal,
      this.org,
      { id: input.forumId, kind: "forum", field: "input.forumId" },
      "assignMonitoring",
    )) as ForumRow | null;
    // Watching a covert forum overtly would tell partners it exists.
    if (own?.covert && !input.covert) throw badInput("an assignment on a covert forum must be covert", "input.covert");
    const row = Object.assign(new MonitoringAssignmentRow(), {
      id: randomUUID(),
      forumId: input.forumId,
      validFrom: input.from,
      validTo: input.to,
      covert: input.covert,
      classification: input.classification,
      leadName: input.leadOfficer.name,
      leadEmail: input.leadOfficer.email,
      leadPhone: input.leadOfficer.phone,
      createdBy: principal.sub,
      endedBy: null,
    });
    // The write ceiling: the assigning principal must be able to read what it records.
    if (!(await assignmentRule(this.ctx)).see(row)) {
      throw row.covert && !principal.covert
        ? badInput("input.covert needs the covert claim: you could not read the assignment you would record", "input.covert")
        : badInput(
            `input.classification is above your clearance (${principal.clearance}): you could not read the assignment you would record`,
            "input.classification",
          );
    }
    return this.ctx.db.transaction("READ COMMITTED", async (m) => {
      const prior = await claimKey(m, principal, this.idempotencyKey, "assignMonitoring", raw);
      if (prior) return this.replay(m, prior);
      const saved = await insertRow(m, row);
      await settleKey(m, principal, this.idempotencyKey, this.ref(saved).id);
      await this.publish(m, saved);
      await auditOwnedWrite(this.ctx, m, principal, "COLLECTION", "assignMonitoring", this.ref(saved), {
        forumId: saved.forumId,
        covert: saved.covert,
        from: saved.validFrom,
        to: saved.validTo,
      });
      return saved;
    });
  }

  /** Ends an assignment at `at` (default now). An end can be brought forward, never put back. */
  async end(principal: Principal, id: string, rawAt: Date | null | undefined): Promise<MonitoringAssignmentRow> {
    const g = parseOwnedId(id, "monitoring");
    if (!g || g.org !== this.org) throw badInput(`id must be the id of a ${this.org} monitoring assignment`, "id");
    const { at } = validate(EndMonitoring, { at: rawAt }, "");
    const noSuch = () => notFound(`No monitoring assignment of ${this.org} with that id`);
    const { see } = await assignmentRule(this.ctx);
    const meta = { requestId: this.ctx.requestId, purpose: this.ctx.purpose };
    // A write reads first: an assignment the principal may not know of (a covert one without
    // the covert claim, one above its clearance) is refused exactly as an id that names
    // nothing, before anything else about it is checked or returned.
    return refusingHidden(this.ctx.audit, meta, principal, "endMonitoring", () =>
      this.ctx.db.transaction("READ COMMITTED", async (m) => {
        const row = await m.getRepository(MonitoringAssignmentRow).findOne({ where: { id: g.uuid }, lock: { mode: "pessimistic_write" } });
        if (!row) throw noSuch();
        if (!see(row)) throw new HiddenFromWriter(id, "monitoring-assignment", { level: "NONE", reason: "monitoring rule" }, noSuch());
        const prior = await claimKey(m, principal, this.idempotencyKey, "endMonitoring", { id, at: rawAt ?? null });
        if (prior) return row;
        if (at <= row.validFrom) throw badInput("at must be after the assignment's from", "at");
        if (row.validTo && row.validTo <= at) throw badInput(`the assignment already ends at ${row.validTo.toISOString()}`, "at");
        const previous = row.validTo;
        row.validTo = at;
        row.endedBy = principal.sub;
        const saved = await m.save(row);
        await settleKey(m, principal, this.idempotencyKey, id);
        await this.publish(m, saved);
        await auditOwnedWrite(this.ctx, m, principal, "ALTERATION", "endMonitoring", this.ref(saved), { previous, to: at });
        return saved;
      }),
    );
  }

  /** Changes the risk level of one of this org's forums, one the principal may read in full. */
  async setRiskLevel(principal: Principal, id: string, riskLevel: string, reason: string | null | undefined): Promise<ForumRow> {
    const g = parseGlobalId(id);
    if (!g || g.org !== this.org || g.kind !== "forum") throw badInput(`id must be the global id of a ${this.org} forum`, "id");
    const input = validate(SetRiskLevel, { riskLevel, reason }, "");
    const noSuchForum = () => notFound(`No forum of ${this.org} with that id`);
    const meta = { requestId: this.ctx.requestId, purpose: this.ctx.purpose };
    return refusingHidden(this.ctx.audit, meta, principal, "setForumRiskLevel", () =>
      this.ctx.db.transaction("READ COMMITTED", async (m) => {
        const prior = await claimKey(m, principal, this.idempotencyKey, "setForumRiskLevel", { id, riskLevel, reason: reason ?? null });
        const row = await m.getRepository(ForumRow).findOne({ where: { id: g.uuid }, lock: { mode: "pessimistic_write" } });
        if (!row) throw noSuchForum();
        // A forum the principal may not read is refused exactly as one that does not exist.
        const decision = writerDecision(principal, this.org, "forum", row);
        if (decision.level !== "FULL") throw new HiddenFromWriter(id, "forum", decision, noSuchForum());
        if (prior) return row;
        const previous = row.riskLevel;
        row.riskLevel = input.riskLevel;
        const saved = await m.save(row);
        await settleKey(m, principal, this.idempotencyKey, id);
        await enqueueForumPointer(m, this.org, saved);
        await this.ctx.audit.record(
          {
            action: "ALTERATION",
            operation: "setForumRiskLevel",
            principal,
            purpose: this.ctx.purpose,
            requestId: this.ctx.requestId,
            records: [{ id: formatGlobalId(this.org, "forum", g.uuid), kind: "forum", level: "FULL", reason: "owner" }],
            detail: { previous, riskLevel: input.riskLevel, reason: input.reason },
          },
          { manager: m },
        );
        return saved;
      }),
    );
  }
}
