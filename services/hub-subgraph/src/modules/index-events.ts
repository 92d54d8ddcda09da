import type { DataSource, EntityManager } from "typeorm";
import { keyedSelector, type SelectorKeyRing } from "@interforce/auth";
import { parseOutboxEvent, type OutboxEvent } from "@interforce/contracts";
import { findOrg, parseGlobalId, parseOwnedId } from "@interforce/domain";
import { applyForumRemove, applyForumUpsert, applyMonitoringUpsert, applySightingUpsert } from "./monitoring-index.js";
import { applySelectorRemove, applySelectorUpsert, lockSelectors } from "./selector-index.js";

export class IndexRejection extends Error {}

function unhandled(e: never): never {
  throw new Error(`no applier for outbox event ${JSON.stringify((e as { type?: unknown }).type)}`);
}

/**
 * The org that owns what the event is about: the record's owner, or for the records an org
 * keeps about other orgs' records (monitoring assignments, sightings) the org that keeps them.
 */
function subjectOrg(e: OutboxEvent): string | null {
  switch (e.type) {
    case "selector.upsert":
    case "selector.remove":
    case "forum.upsert":
    case "forum.remove":
      return parseGlobalId(e.recordId)?.org ?? null;
    case "monitoring.upsert":
      return parseOwnedId(e.assignmentId, "monitoring")?.org ?? null;
    case "sighting.upsert":
      return parseOwnedId(e.sightingId, "sighting")?.org ?? null;
    default:
      return unhandled(e);
  }
}

function apply(m: EntityManager, e: OutboxEvent, keys: SelectorKeyRing): Promise<void> {
  switch (e.type) {
    case "selector.upsert":
      return applySelectorUpsert(m, e, keys);
    case "selector.remove":
      return applySelectorRemove(m, e);
    case "forum.upsert":
      return applyForumUpsert(m, e);
    case "forum.remove":
      return applyForumRemove(m, e);
    case "monitoring.upsert":
      return applyMonitoringUpsert(m, e);
    case "sighting.upsert":
      return applySightingUpsert(m, e);
    default:
      return unhandled(e);
  }
}

/**
 * Applies relayed outbox events. Every event of the batch is checked first, against the
 * contract (events of forces not yet upgraded, with `op` instead of `type`, included) and
 * for ownership; one bad event refuses the whole batch and nothing is applied. The inbox
 * rows and the events' effects are then written in one transaction (all or nothing), and an
 * event already in the inbox is acknowledged without effect, so a relay that resends after a
 * crash never doubles an entry.
 */
export async function applyIndexEvents(
  db: DataSource,
  caller: string,
  events: unknown[],
  keys: SelectorKeyRing,
): Promise<{ applied: number; duplicates: number }> {
  const parsed = events.map((raw) => {
    const r = parseOutboxEvent(raw);
    if (!r.ok) throw new IndexRejection(r.reason);
    const owner = subjectOrg(r.event);
    // A force may publish only about its own records.
    if (r.event.org !== caller || !owner || owner !== caller || !findOrg(caller)) {
      throw new IndexRejection("event not owned by the calling org");
    }
    return r.event;
  });
  let applied = 0;
  let duplicates = 0;
  // One transaction for the batch: one commit (one WAL flush) instead of one per event, which is what bounds how fast
  // the index keeps up with a force's writes. The locks on the batch's selectors are taken first, in one order, so two
  // forces' batches never wait on each other in a cycle.
  const macs = parsed.flatMap((e) => (e.type === "selector.upsert" ? e.selectors.map((s) => keyedSelector(keys.current, s.selector)) : []));
  await db.transaction(async (m) => {
    await lockSelectors(m, macs);
    for (const event of parsed) {
      const inserted: unknown[] = await m.query(
        `INSERT INTO index_inbox (event_id, org) VALUES ($1, $2) ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
        [event.eventId, event.org],
      );
      if (inserted.length === 0) {
        duplicates++;
        continue;
      }
      await apply(m, event, keys);
      applied++;
    }
  });
  return { applied, duplicates };
}
