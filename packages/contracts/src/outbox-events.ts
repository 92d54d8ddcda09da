import { randomUUID } from "node:crypto";
import { z } from "zod";
import { CLASSIFICATIONS, FORUM_RISK_LEVELS, HANDLING_CODES } from "@interforce/domain";
import { firstIssue, globalIdOf, IsoDateTime, OrgCode, ownedIdOf } from "./wire.js";

/**
 * The events a force writes to its transactional outbox (in the transaction that changed
 * the record) and the hub applies to its pointer tables, each event id once. They carry
 * pointers and markings only: never a handle in clear, a forum's name, a lead officer or a
 * note.
 */

export const OUTBOX_RELAY_PATH = "/internal/index";

const envelope = {
  /** The hub's inbox key: an event applied once is acknowledged without effect when resent. */
  eventId: z.uuid(),
  /** The publishing force; the hub accepts only events about that force's own records. */
  org: OrgCode,
};

const identityId = globalIdOf("identity");
const forumId = globalIdOf("forum");
const handlingOrgs = z.array(OrgCode).max(50);

const Selector = z.object({
  /** handle@platform, or the keyed hash of an email or phone number. */
  selector: z.string().min(1).max(500),
  /** The normalised handle, for trigram matching; null for hashed emails and phones. */
  handleKey: z.string().max(300).nullable(),
});

/** An identity's current selectors and markings: the hub keeps exactly this set for it. */
export const SelectorUpsert = z.object({
  type: z.literal("selector.upsert"),
  ...envelope,
  kind: z.literal("identity"),
  recordId: identityId,
  selectors: z.array(Selector).min(1).max(60),
  platform: z.string().min(1).max(50),
  classification: z.enum(CLASSIFICATIONS),
  handling: z.enum(HANDLING_CODES),
  handlingOrgs,
  covert: z.boolean(),
  reviewDue: IsoDateTime.nullable(),
});
export type SelectorUpsert = z.infer<typeof SelectorUpsert>;

/** An erased identity leaves the selector index. */
export const SelectorRemove = z.object({
  type: z.literal("selector.remove"),
  ...envelope,
  kind: z.literal("identity"),
  recordId: identityId,
});
export type SelectorRemove = z.infer<typeof SelectorRemove>;

/** A forum's pointer for the monitoring picture: markings and risk level, never its name or URL. */
export const ForumUpsert = z.object({
  type: z.literal("forum.upsert"),
  ...envelope,
  recordId: forumId,
  riskLevel: z.enum(FORUM_RISK_LEVELS),
  classification: z.enum(CLASSIFICATIONS),
  handling: z.enum(HANDLING_CODES),
  handlingOrgs,
  covert: z.boolean(),
  reviewDue: IsoDateTime.nullable(),
  /** When the force made the change: an older event never overwrites a newer one. */
  at: IsoDateTime,
});
export type ForumUpsert = z.infer<typeof ForumUpsert>;

/** An erased forum leaves the monitoring picture. */
export const ForumRemove = z.object({
  type: z.literal("forum.remove"),
  ...envelope,
  recordId: forumId,
});
export type ForumRemove = z.infer<typeof ForumRemove>;

/** A monitoring assignment of the publishing org (on its own or another org's forum), never its lead officer. */
export const MonitoringUpsert = z.object({
  type: z.literal("monitoring.upsert"),
  ...envelope,
  assignmentId: ownedIdOf("monitoring"),
  forumId,
  validFrom: IsoDateTime,
  validTo: IsoDateTime.nullable(),
  covert: z.boolean(),
  classification: z.enum(CLASSIFICATIONS),
  /** When the force made the change: an older event never overwrites a newer one. */
  at: IsoDateTime,
});
export type MonitoringUpsert = z.infer<typeof MonitoringUpsert>;

/** A sighting by the publishing org of any org's identity, never its note. */
export const SightingUpsert = z.object({
  type: z.literal("sighting.upsert"),
  ...envelope,
  sightingId: ownedIdOf("sighting"),
  identityId,
  forumId: forumId.nullable(),
  seenAt: IsoDateTime,
  classification: z.enum(CLASSIFICATIONS),
});
export type SightingUpsert = z.infer<typeof SightingUpsert>;

export const OutboxEvent = z.discriminatedUnion("type", [SelectorUpsert, SelectorRemove, ForumUpsert, ForumRemove, MonitoringUpsert, SightingUpsert]);
export type OutboxEvent = z.infer<typeof OutboxEvent>;
export type OutboxEventType = OutboxEvent["type"];
export type OutboxEventOf<T extends OutboxEventType> = Extract<OutboxEvent, { type: T }>;
/** What a writer supplies: everything but the discriminator and the event id. */
export type OutboxEventFields<T extends OutboxEventType> = Omit<OutboxEventOf<T>, "type" | "eventId">;

export const OUTBOX_EVENT_TYPES = OutboxEvent.options.map((o) => o.shape.type.value) as readonly OutboxEventType[];

/** Builds a typed event with a fresh id. Parse it (`OutboxEvent.parse`) before it is stored. */
export function outboxEvent<T extends OutboxEventType>(type: T, fields: OutboxEventFields<T>, eventId: string = randomUUID()): OutboxEventOf<T> {
  return { ...fields, type, eventId } as OutboxEventOf<T>;
}

/**
 * The names events had before they carried `type`: an `op` field, "upsert"/"remove" for
 * selectors. Rows written then may still sit in an outbox, and a force not yet upgraded
 * still sends them, so they are read as the event they always meant.
 */
const LEGACY_OPS: Readonly<Record<string, OutboxEventType>> = {
  upsert: "selector.upsert",
  remove: "selector.remove",
  "forum.upsert": "forum.upsert",
  "forum.remove": "forum.remove",
  "monitoring.upsert": "monitoring.upsert",
  "sighting.upsert": "sighting.upsert",
};

function fromLegacy(raw: unknown): unknown {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw) || "type" in raw) return raw;
  const { op, ...rest } = raw as Record<string, unknown>;
  const type = typeof op === "string" && Object.hasOwn(LEGACY_OPS, op) ? LEGACY_OPS[op] : undefined;
  return type ? { ...rest, type } : raw;
}

/** An event as it arrives on the wire or is read back from an outbox row: legacy `op` rows included. */
export const WireOutboxEvent = z.preprocess(fromLegacy, OutboxEvent);

export type OutboxEventParse = { ok: true; event: OutboxEvent } | { ok: false; reason: string };

/** Parses one event, legacy rows included; a refusal names the event type and the first problem. */
export function parseOutboxEvent(raw: unknown): OutboxEventParse {
  const r = WireOutboxEvent.safeParse(raw);
  if (r.success) return { ok: true, event: r.data };
  const upgraded = fromLegacy(raw);
  const type = upgraded !== null && typeof upgraded === "object" ? (upgraded as { type?: unknown }).type : undefined;
  if (typeof type !== "string" || !(OUTBOX_EVENT_TYPES as readonly string[]).includes(type)) {
    return { ok: false, reason: `invalid event: unknown type ${typeof type === "string" ? JSON.stringify(type.slice(0, 50)) : "(none)"}` };
  }
  return { ok: false, reason: `invalid ${type} event: ${firstIssue(r.error)}` };
}

/** The relay's POST to the hub: a batch of events, in outbox order. */
export const OutboxBatch = z.object({ events: z.array(OutboxEvent).max(500) });
export type OutboxBatch = z.infer<typeof OutboxBatch>;
/** The batch as the hub first reads it: each event is then parsed on its own, so a refusal can name it. */
export const WireOutboxBatch = z.object({ events: z.array(z.unknown()).max(500) });

/** The hub's answer to a batch it accepted: every event was applied now or before. */
export const OutboxBatchAck = z.object({ applied: z.number().int().min(0), duplicates: z.number().int().min(0) });
export type OutboxBatchAck = z.infer<typeof OutboxBatchAck>;
