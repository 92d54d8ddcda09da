import { z } from "zod";
import { CLASSIFICATIONS, FORUM_RISK_LEVELS, parseGlobalId, parseOwnedId } from "@interforce/domain";
import { registerIndexHandler } from "./index-events.js";

const forumId = z.string().refine((id) => parseGlobalId(id)?.kind === "forum", "must be a forum's global id");
const identityId = z.string().refine((id) => parseGlobalId(id)?.kind === "identity", "must be an identity's global id");
const envelope = { eventId: z.string().uuid(), org: z.string() };

const ForumUpsert = z.object({
  op: z.literal("forum.upsert"),
  ...envelope,
  recordId: forumId,
  riskLevel: z.enum(FORUM_RISK_LEVELS),
  classification: z.enum(CLASSIFICATIONS),
  handling: z.enum(["P", "C"]),
  handlingOrgs: z.array(z.string().max(40)).max(50),
  covert: z.boolean(),
  reviewDue: z.string().datetime().nullable(),
  at: z.string().datetime(),
});

const ForumRemove = z.object({ op: z.literal("forum.remove"), ...envelope, recordId: forumId });

const MonitoringUpsert = z.object({
  op: z.literal("monitoring.upsert"),
  ...envelope,
  assignmentId: z.string().refine((id) => parseOwnedId(id, "monitoring") !== null, "must be a monitoring assignment id"),
  forumId,
  validFrom: z.string().datetime(),
  validTo: z.string().datetime().nullable(),
  covert: z.boolean(),
  classification: z.enum(CLASSIFICATIONS),
  at: z.string().datetime(),
});

const SightingUpsert = z.object({
  op: z.literal("sighting.upsert"),
  ...envelope,
  sightingId: z.string().refine((id) => parseOwnedId(id, "sighting") !== null, "must be a sighting id"),
  identityId,
  forumId: forumId.nullable(),
  seenAt: z.string().datetime(),
  classification: z.enum(CLASSIFICATIONS),
});

registerIndexHandler({
  op: "forum.upsert",
  schema: ForumUpsert,
  recordId: (e) => e.recordId,
  async apply(m, e) {
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
  },
});

registerIndexHandler({
  op: "forum.remove",
  schema: ForumRemove,
  recordId: (e) => e.recordId,
  async apply(m, e) {
    await m.query(`DELETE FROM forum_pointer WHERE record_id = $1`, [e.recordId]);
  },
});

registerIndexHandler({
  op: "monitoring.upsert",
  schema: MonitoringUpsert,
  recordId: (e) => e.assignmentId,
  ownerOrg: (e) => parseOwnedId(e.assignmentId, "monitoring")?.org ?? null,
  async apply(m, e) {
    await m.query(
      `INSERT INTO monitoring_pointer (assignment_id, org, forum_id, valid_from, valid_to, covert, classification, source_at, last_event_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (assignment_id) DO UPDATE SET
         forum_id = EXCLUDED.forum_id, valid_from = EXCLUDED.valid_from, valid_to = EXCLUDED.valid_to, covert = EXCLUDED.covert,
         classification = EXCLUDED.classification, source_at = EXCLUDED.source_at, last_event_id = EXCLUDED.last_event_id, updated_at = now()
       WHERE monitoring_pointer.source_at <= EXCLUDED.source_at`,
      [e.assignmentId, e.org, e.forumId, e.validFrom, e.validTo, e.covert, e.classification, e.at, e.eventId],
    );
  },
});

registerIndexHandler({
  op: "sighting.upsert",
  schema: SightingUpsert,
  recordId: (e) => e.sightingId,
  ownerOrg: (e) => parseOwnedId(e.sightingId, "sighting")?.org ?? null,
  async apply(m, e) {
    await m.query(
      `INSERT INTO sighting_pointer (sighting_id, org, identity_id, identity_org, forum_id, seen_at, classification, last_event_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (sighting_id) DO NOTHING`,
      [e.sightingId, e.org, e.identityId, parseGlobalId(e.identityId)!.org, e.forumId, e.seenAt, e.classification, e.eventId],
    );
  },
});
