import type { EntityManager } from "typeorm";
import type { ForumUpsert } from "@interforce/contracts";
import { formatGlobalId } from "@interforce/domain";
import type { ForumRow } from "../../db/entities.js";
import { enqueueOutboxEvent } from "../../outbox/enqueue.js";

/**
 * Publishes a forum's pointer to the hub (ids, markings, risk level; never its name, URL or
 * risk summary), in the transaction that changed the forum, so CEOP's monitoring overview
 * can neither miss a forum nor keep one that was erased.
 */
export async function enqueueForumPointer(m: EntityManager, org: string, row: ForumRow): Promise<void> {
  await enqueueOutboxEvent(m, "forum.upsert", {
    org,
    recordId: formatGlobalId(org, "forum", row.id),
    // Text columns; the contract checks their values before the event is stored.
    riskLevel: row.riskLevel as ForumUpsert["riskLevel"],
    classification: row.classification as ForumUpsert["classification"],
    handling: row.handling as ForumUpsert["handling"],
    handlingOrgs: row.handlingOrgs ?? [],
    covert: row.covert,
    reviewDue: row.reviewDue ? row.reviewDue.toISOString() : null,
    at: new Date().toISOString(),
  });
}

export async function enqueueForumRemoval(m: EntityManager, org: string, uuid: string): Promise<void> {
  await enqueueOutboxEvent(m, "forum.remove", { org, recordId: formatGlobalId(org, "forum", uuid) });
}
