import type { EntityManager } from "typeorm";
import type { AuditLog } from "@interforce/audit";
import { parseGlobalId, type Principal, type RecordKind } from "@interforce/domain";
import { badInput } from "@interforce/server-kit";
import { decide, decideLink, ownLinkEnds, type Decision, type EndKind, type PolicyInputs } from "@interforce/policy";
import { ForumRow, IdentityRow, type LinkRow, type MarkedRecord } from "../../db/entities.js";
import { policyRecord } from "../../graphql/views.js";

/**
 * Writers are principals of the owning org, and `decide()` gives the owner's principals a
 * level that no agreement or grant changes; none is passed, so a principal of another org
 * would get NONE.
 */
const ownerInputs = (): PolicyInputs => ({ agreements: [], grants: [], now: new Date() });

export const END_ENTITIES: Record<EndKind, new () => MarkedRecord> = { identity: IdentityRow, forum: ForumRow };

/** The principal's decision on one record of `org`, as a read of it would decide. */
export function writerDecision(principal: Principal, org: string, kind: RecordKind, row: MarkedRecord): Decision {
  return decide(principal, policyRecord(org, kind, row), ownerInputs(), "read");
}

/**
 * Whether the principal may read the record in full, as a read would decide: its own
 * markings and, for a link, each end of this org that exists (a link shows its ends' ids).
 * Reads go through `m`, inside the write's transaction.
 */
export async function writerMayRead(m: EntityManager, principal: Principal, org: string, kind: RecordKind, row: MarkedRecord): Promise<Decision> {
  const decision = writerDecision(principal, org, kind, row);
  if (decision.level !== "FULL" || kind !== "link") return decision;
  const ends: (Decision | null)[] = [];
  for (const end of ownLinkEnds(org, row as LinkRow)) {
    const endRow = await m.getRepository(END_ENTITIES[end.kind]).findOneBy({ id: end.uuid });
    ends.push(endRow ? writerDecision(principal, org, end.kind, endRow) : null);
  }
  return decideLink(decision, ends);
}

/**
 * Thrown inside a write's transaction when the principal may not read the record it names:
 * the transaction rolls back and `refusingHidden` gives `answer`, the error an id naming no
 * record gets.
 */
export class HiddenFromWriter extends Error {
  constructor(
    readonly recordId: string,
    readonly kind: RecordKind | "monitoring-assignment" | "sighting",
    readonly decision: Decision,
    readonly answer: Error,
  ) {
    super(answer.message);
  }
}

/**
 * Runs a write; when it names a record the principal may not read, audits the refusal as a
 * read of a hidden record is audited (the record, level and rule, in an event of its own
 * since the write rolled back) and answers as for an id that names nothing.
 */
export async function refusingHidden<T>(
  audit: AuditLog,
  meta: { requestId: string; purpose: string | null },
  principal: Principal,
  operation: string,
  write: () => Promise<T>,
): Promise<T> {
  try {
    return await write();
  } catch (e) {
    if (!(e instanceof HiddenFromWriter)) throw e;
    await audit.record({
      action: "CONSULTATION",
      operation,
      principal,
      purpose: meta.purpose,
      requestId: meta.requestId,
      records: [{ id: e.recordId, kind: e.kind, level: e.decision.level, reason: e.decision.reason }],
      recipientOrg: null,
      detail: { refused: "the principal may not read the record" },
    });
    throw e.answer;
  }
}

/**
 * A write that names a record of this org by id (a sighting's identity or forum, a monitored
 * forum): the record must exist and be one the principal may read in full. One it may not
 * read is refused exactly as one that does not exist (same code and message), and audited
 * as a read of a hidden record. Ids of other orgs are their owners' to resolve and pass.
 */
export async function requireOwnNamedRecord(
  ctx: { db: import("typeorm").DataSource; audit: AuditLog; requestId: string; purpose: string | null },
  principal: Principal,
  org: string,
  named: { id: string | null; kind: "identity" | "forum"; field: string },
  operation: string,
): Promise<MarkedRecord | null> {
  const g = named.id ? parseGlobalId(named.id) : null;
  if (!named.id || !g || g.org !== org || g.kind !== named.kind) return null;
  const missing = () => badInput(`${named.field} names no ${named.kind} of ${org}`, named.field);
  const row = await ctx.db.getRepository(END_ENTITIES[named.kind]).findOneBy({ id: g.uuid });
  if (!row) throw missing();
  const decision = writerDecision(principal, org, named.kind, row);
  if (decision.level !== "FULL") {
    const id = named.id;
    await refusingHidden(ctx.audit, { requestId: ctx.requestId, purpose: ctx.purpose }, principal, operation, async () => {
      throw new HiddenFromWriter(id, named.kind, decision, missing());
    });
  }
  return row;
}
