import { randomUUID } from "node:crypto";
import { formatOwnedId, parseGlobalId, parseOwnedId, type Classification, type Principal } from "@interforce/domain";
import { mayReadSighting } from "@interforce/policy";
import { badInput, validate } from "@interforce/server-kit";
import type { ForceContext } from "../../context.js";
import { claimKey, settleKey } from "../records/idempotency.js";
import { requireOwnNamedRecord } from "../records/write-access.js";
import { auditOwnedWrite, enqueue } from "../monitoring/owned-records.js";
import { SightingRow } from "./sighting.entity.js";
import { RecordSighting } from "./sighting.validation.js";
import { insertRow } from "../../db/insert.js";

/**
 * Records a sighting in this org's own database and publishes a pointer to the hub (ids,
 * org, time, classification: never the note), with the audit event, in one transaction.
 */
export async function recordSighting(ctx: ForceContext, principal: Principal, raw: unknown, idempotencyKey: string | null): Promise<SightingRow> {
  const input = validate(RecordSighting, raw);
  const org = ctx.org.code;
  const row = Object.assign(new SightingRow(), {
    id: randomUUID(),
    identityId: input.identityId,
    identityOrg: parseGlobalId(input.identityId)!.org,
    forumId: input.forumId,
    seenAt: input.seenAt,
    note: input.note,
    classification: input.classification,
    createdBy: principal.sub,
  });
  // A write reads first: the identity and forum it names, where they are this org's.
  await requireOwnNamedRecord(ctx, principal, org, { id: input.identityId, kind: "identity", field: "input.identityId" }, "recordSighting");
  await requireOwnNamedRecord(ctx, principal, org, { id: input.forumId, kind: "forum", field: "input.forumId" }, "recordSighting");
  // The write ceiling: the recording principal must be able to read what it records.
  if (!mayReadSighting(principal, { org, identityOrg: row.identityOrg, classification: row.classification as Classification })) {
    throw badInput(
      `input.classification is above your clearance (${principal.clearance}): you could not read the sighting you would record`,
      "input.classification",
    );
  }
  return ctx.db.transaction("READ COMMITTED", async (m) => {
    const prior = await claimKey(m, principal, idempotencyKey, "recordSighting", raw);
    if (prior) {
      const g = parseOwnedId(prior, "sighting");
      const earlier = g ? await m.getRepository(SightingRow).findOneBy({ id: g.uuid }) : null;
      if (!earlier) throw badInput("the request of this idempotencyKey produced a record that no longer exists", "idempotencyKey");
      return earlier;
    }
    const saved = await insertRow(m, row);
    const id = formatOwnedId(org, "sighting", saved.id);
    await settleKey(m, principal, idempotencyKey, id);
    await enqueue(m, "sighting.upsert", {
      org,
      sightingId: id,
      identityId: saved.identityId,
      forumId: saved.forumId,
      seenAt: saved.seenAt.toISOString(),
      // A text column; the contract checks its value before the event is stored.
      classification: saved.classification as Classification,
    });
    await auditOwnedWrite(
      ctx,
      m,
      principal,
      "COLLECTION",
      "recordSighting",
      { id, kind: "sighting" },
      { identityId: saved.identityId, forumId: saved.forumId },
    );
    return saved;
  });
}
