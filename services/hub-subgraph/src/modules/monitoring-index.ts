import type { EntityManager } from "typeorm";
import type { ForumRemove, ForumUpsert, MonitoringUpsert, SightingUpsert } from "@interforce/contracts";
import { parseGlobalId } from "@interforce/domain";

// The monitoring picture's pointer tables, fed by the forces' outbox events (see index-events.ts).

export async function applyForumUpsert(m: EntityManager, e: ForumUpsert): Promise<void> {
  await m.query(
    `INSERT INTO forum_pointer (record_id, org, risk_level, classification, handling, handling_orgs, covert, review_due, source_at, last_event_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (record_id) DO UPDATE SET
       risk_level = EXCLUDED.risk_level, classification = EXCLUDED.classification, handling = EXCLUDED.handling,
       handling_orgs = EXCLUDED.handling_orgs, covert = EXCLUDED.covert, review_due = EXCLUDED.review_due,
       source_at = EXCLUDED.source_at, last_event_id = EXCLUDED.last_event_id, updated_at = now()
     WHERE forum_pointer.source_at <= EXCLUDED.source_at`,
    [e.recordId, e.org, e.riskLevel, e.classification, e.handling, e.handlingOrgs, e.covert, e.reviewDue, e.at, e.eventId],
  );
}

export async function applyForumRemove(m: EntityManager, e: ForumRemove): Promise<void> {
  await m.query(`DELETE FROM forum_pointer WHERE record_id = $1`, [e.recordId]);
}

export async function applyMonitoringUpsert(m: EntityManager, e: MonitoringUpsert): Promise<void> {
  await m.query(
    `INSERT INTO monitoring_pointer (assignment_id, org, forum_id, valid_from, valid_to, covert, classification, source_at, last_event_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (assignment_id) DO UPDATE SET
       forum_id = EXCLUDED.forum_id, valid_from = EXCLUDED.valid_from, valid_to = EXCLUDED.valid_to, covert = EXCLUDED.covert,
       classification = EXCLUDED.classification, source_at = EXCLUDED.source_at, last_event_id = EXCLUDED.last_event_id, updated_at = now()
     WHERE monitoring_pointer.source_at <= EXCLUDED.source_at`,
    [e.assignmentId, e.org, e.forumId, e.validFrom, e.validTo, e.covert, e.classification, e.at, e.eventId],
  );
}

export async function applySightingUpsert(m: EntityManager, e: SightingUpsert): Promise<void> {
  await m.query(
    `INSERT INTO sighting_pointer (sighting_id, org, identity_id, identity_org, forum_id, seen_at, classification, last_event_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (sighting_id) DO NOTHING`,
    [e.sightingId, e.org, e.identityId, parseGlobalId(e.identityId)!.org, e.forumId, e.seenAt, e.classification, e.eventId],
  );
}
