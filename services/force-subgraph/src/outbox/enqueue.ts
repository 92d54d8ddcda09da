import type { EntityManager } from "typeorm";
import { firstIssue, OutboxEvent, outboxEvent, type OutboxEventFields, type OutboxEventOf, type OutboxEventType } from "@interforce/contracts";
import { OutboxRow } from "../db/entities.js";
import { insertRow } from "../db/insert.js";

/**
 * Writes one event to the outbox in the caller's transaction; the relay carries it to the
 * hub. The event is checked against the contract first: one the hub would refuse throws,
 * and the change it records rolls back with it, so a record is never kept unpublished.
 */
export async function enqueueOutboxEvent<T extends OutboxEventType>(m: EntityManager, type: T, fields: OutboxEventFields<T>): Promise<OutboxEventOf<T>> {
  const parsed = OutboxEvent.safeParse(outboxEvent(type, fields));
  if (!parsed.success) throw new Error(`outbox event does not match the contract (invalid ${type} event: ${firstIssue(parsed.error)})`);
  const event = parsed.data as OutboxEventOf<T>;
  await insertRow(m, Object.assign(new OutboxRow(), { eventId: event.eventId, topic: event.type, payload: event }));
  return event;
}
