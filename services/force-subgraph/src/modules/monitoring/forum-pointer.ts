import { randomUUID } from "node:crypto";
import type { EntityManager } from "typeorm";
import { formatGlobalId } from "@interforce/domain";
import { ForumRow, OutboxRow } from "../../db/entities.js";

/**
 * Publishes a forum's pointer to the hub (ids, markings, risk level; never its name, URL or
 * risk summary), in the transaction that changed the forum, so CEOP's monitoring overview
 * can neither miss a forum nor keep one that was erased.
 */
export async function enqueueForumPointer(m: EntityManager, org: string, row: ForumRow): Promise<void> {
  const eventId = randomUUID();
  await m.save(
    Object.assign(new OutboxRow(), {
      eventId,
      topic: "forum.upsert",
      payload: {
        op: "forum.upsert",
        eventId,
        org,
        recordId: formatGlobalId(org, "forum", row.id),
        riskLevel: row.riskLevel,
        classification: row.classification,
        handling: row.handling,
        handlingOrgs: row.handlingOrgs ?? [],
        covert: row.covert,
        reviewDue: row.reviewDue ? row.reviewDue.toISOString() : null,
        at: new Date().toISOString(),
      },
    }),
  );
}

export async function enqueueForumRemoval(m: EntityManager, org: string, uuid: string): Promise<void> {
  const eventId = randomUUID();
  await m.save(
    Object.assign(new OutboxRow(), {
      eventId,
      topic: "forum.remove",
      payload: { op: "forum.remove", eventId, org, recordId: formatGlobalId(org, "forum", uuid) },
    }),
  );
}
