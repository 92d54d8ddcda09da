import type { DataSource, EntityManager } from "typeorm";
import type { SelectorUpsert } from "@interforce/contracts";
import { formatGlobalId, handleSelector } from "@interforce/domain";
import { IdentityRow } from "../../db/entities.js";
import { enqueueOutboxEvent } from "../../outbox/enqueue.js";

/** Publishes an identity's selectors (normalised handle, hashed emails and phones) and markings to the hub's index, in the caller's transaction. */
export async function enqueueSelectorPointer(m: EntityManager, org: string, row: IdentityRow): Promise<void> {
  await enqueueOutboxEvent(m, "selector.upsert", {
    org,
    kind: "identity",
    recordId: formatGlobalId(org, "identity", row.id),
    selectors: [
      { selector: handleSelector(row.handle, row.platform), handleKey: row.normalisedHandle },
      ...[...(row.emailHashes ?? []), ...(row.phoneHashes ?? [])].map((selector) => ({ selector, handleKey: null })),
    ],
    platform: row.platform,
    // Text columns; the contract checks their values before the event is stored.
    classification: row.classification as SelectorUpsert["classification"],
    handling: row.handling as SelectorUpsert["handling"],
    handlingOrgs: row.handlingOrgs,
    covert: row.covert,
    reviewDue: row.reviewDue ? row.reviewDue.toISOString() : null,
  });
}

export async function enqueueSelectorRemoval(m: EntityManager, org: string, row: IdentityRow): Promise<void> {
  await enqueueOutboxEvent(m, "selector.remove", { org, kind: "identity", recordId: formatGlobalId(org, "identity", row.id) });
}

/**
 * Publishes every identity of the force to the hub's index again, through the outbox (the relay delivers them as it
 * delivers any write): after the hub's selector key is rotated, so that each pointer is keyed under the new key, or to
 * rebuild a lost index. Batches of `batch` identities, each in its own transaction, in id order.
 */
export async function republishSelectors(db: DataSource, org: string, opts: { batch?: number; onProgress?: (done: number) => void } = {}): Promise<number> {
  const batch = opts.batch ?? 1000;
  let after: string | null = null;
  let done = 0;
  for (;;) {
    const rows: IdentityRow[] = await db.transaction(async (m) => {
      const qb = m.getRepository(IdentityRow).createQueryBuilder("r").orderBy("r.id", "ASC").limit(batch);
      if (after) qb.where("r.id > :after", { after });
      const page = await qb.getMany();
      for (const row of page) await enqueueSelectorPointer(m, org, row);
      return page;
    });
    if (rows.length === 0) return done;
    done += rows.length;
    after = rows[rows.length - 1]!.id;
    opts.onProgress?.(done);
  }
}
