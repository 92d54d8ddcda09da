import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { formatGlobalId, formatOwnedId } from "@interforce/domain";
import { OUTBOX_EVENT_TYPES, OutboxBatchAck, OutboxEvent, outboxEvent, parseOutboxEvent, type OutboxEventOf, type OutboxEventType } from "./outbox-events.js";

const uuid = () => randomUUID();
const at = "2024-11-25T10:00:00.000Z";
const identity = formatGlobalId("KENT", "identity", uuid());
const forum = formatGlobalId("KENT", "forum", uuid());

const valid: { [T in OutboxEventType]: OutboxEventOf<T> } = {
  "selector.upsert": outboxEvent("selector.upsert", {
    org: "KENT",
    kind: "identity",
    recordId: identity,
    selectors: [
      { selector: "d4rkangel99@snapchat", handleKey: "darkangel99" },
      { selector: "k:0f3a", handleKey: null },
    ],
    platform: "SNAPCHAT",
    classification: "OFFICIAL",
    handling: "C",
    handlingOrgs: ["NORFOLK"],
    covert: false,
    reviewDue: null,
  }),
  "selector.remove": outboxEvent("selector.remove", { org: "KENT", kind: "identity", recordId: identity }),
  "forum.upsert": outboxEvent("forum.upsert", {
    org: "KENT",
    recordId: forum,
    riskLevel: "HIGH",
    classification: "OFFICIAL_SENSITIVE",
    handling: "P",
    handlingOrgs: [],
    covert: true,
    reviewDue: at,
    at,
  }),
  "forum.remove": outboxEvent("forum.remove", { org: "KENT", recordId: forum }),
  "monitoring.upsert": outboxEvent("monitoring.upsert", {
    org: "KENT",
    assignmentId: formatOwnedId("KENT", "monitoring", uuid()),
    forumId: formatGlobalId("NORFOLK", "forum", uuid()),
    validFrom: at,
    validTo: null,
    covert: false,
    classification: "SECRET",
    at,
  }),
  "sighting.upsert": outboxEvent("sighting.upsert", {
    org: "KENT",
    sightingId: formatOwnedId("KENT", "sighting", uuid()),
    identityId: formatGlobalId("ESSEX", "identity", uuid()),
    forumId: null,
    seenAt: at,
    classification: "OFFICIAL",
  }),
};

describe("outbox events", () => {
  it("covers every event type with a valid example", () => {
    expect(Object.keys(valid).sort()).toEqual([...OUTBOX_EVENT_TYPES].sort());
  });

  it.each(OUTBOX_EVENT_TYPES)("parses a valid %s event, unchanged", (type) => {
    const event = valid[type];
    expect(event.type).toBe(type);
    expect(OutboxEvent.parse(event)).toEqual(event);
    // What the relay sends is what the hub reads.
    expect(parseOutboxEvent(JSON.parse(JSON.stringify(event)))).toEqual({ ok: true, event });
  });

  it("gives every constructed event a fresh uuid", () => {
    const a = outboxEvent("forum.remove", { org: "KENT", recordId: forum });
    const b = outboxEvent("forum.remove", { org: "KENT", recordId: forum });
    expect(a.eventId).not.toBe(b.eventId);
    expect(OutboxEvent.parse(a).eventId).toBe(a.eventId);
  });

  it("rejects an unknown type, a missing type and non-objects, naming the problem", () => {
    for (const raw of [{ ...valid["forum.remove"], type: "forum.delete" }, { eventId: uuid(), org: "KENT" }, null, "forum.remove", []]) {
      const r = parseOutboxEvent(raw);
      expect(r.ok).toBe(false);
      expect(!r.ok && r.reason).toMatch(/^invalid event: unknown type/);
    }
  });

  it.each<[string, OutboxEventType, Record<string, unknown>, RegExp]>([
    ["a record id of another kind", "selector.upsert", { recordId: forum }, /recordId: must be an identity's global id/],
    ["no selectors", "selector.upsert", { selectors: [] }, /selectors/],
    ["an unknown classification", "selector.upsert", { classification: "TOP_SECRET" }, /classification/],
    ["an event id that is not a uuid", "selector.remove", { eventId: "1" }, /eventId/],
    ["an unknown risk level", "forum.upsert", { riskLevel: "EXTREME" }, /riskLevel/],
    ["a time that is not ISO", "forum.upsert", { at: "yesterday" }, /^invalid forum.upsert event: at:/],
    ["an identity id where a forum id belongs", "forum.remove", { recordId: identity }, /recordId: must be a forum's global id/],
    ["a sighting id where an assignment id belongs", "monitoring.upsert", { assignmentId: formatOwnedId("KENT", "sighting", uuid()) }, /assignmentId/],
    ["covert as a string", "monitoring.upsert", { covert: "false" }, /covert/],
    ["a missing identity", "sighting.upsert", { identityId: undefined }, /identityId/],
  ])("rejects %s", (_what, type, change, reason) => {
    const raw = { ...valid[type], ...change };
    expect(OutboxEvent.safeParse(raw).success).toBe(false);
    const r = parseOutboxEvent(raw);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(new RegExp(`^invalid ${type.replace(".", "\\.")} event: `));
    expect(!r.ok && r.reason).toMatch(reason);
  });

  it("reads events written before `type` (an `op` field) as the event they meant", () => {
    const legacy = (type: OutboxEventType, op: string) => {
      const { type: _t, ...rest } = valid[type];
      return { op, ...rest };
    };
    const cases: [OutboxEventType, string][] = [
      ["selector.upsert", "upsert"],
      ["selector.remove", "remove"],
      ["forum.upsert", "forum.upsert"],
      ["forum.remove", "forum.remove"],
      ["monitoring.upsert", "monitoring.upsert"],
      ["sighting.upsert", "sighting.upsert"],
    ];
    for (const [type, op] of cases) expect(parseOutboxEvent(legacy(type, op)), op).toEqual({ ok: true, event: valid[type] });
    // A legacy row is held to the same schema, and an op that never existed is still unknown.
    expect(parseOutboxEvent({ ...legacy("selector.upsert", "upsert"), covert: "no" }).ok).toBe(false);
    expect(parseOutboxEvent(legacy("selector.remove", "delete"))).toMatchObject({ ok: false, reason: expect.stringMatching(/unknown type/) });
    expect(parseOutboxEvent(legacy("selector.remove", "constructor")).ok).toBe(false);
  });

  it("validates the hub's acknowledgement", () => {
    expect(OutboxBatchAck.parse({ applied: 2, duplicates: 1 })).toEqual({ applied: 2, duplicates: 1 });
    expect(OutboxBatchAck.safeParse({ applied: -1, duplicates: 0 }).success).toBe(false);
    expect(OutboxBatchAck.safeParse({ applied: 1 }).success).toBe(false);
  });
});
