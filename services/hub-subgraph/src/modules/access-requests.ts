import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import { parseGlobalId, type Principal, type RecordKind } from "@interforce/domain";
import { decide, mayDecideAccessRequest, type PolicyRecord } from "@interforce/policy";
import { badInput, notFound } from "@interforce/server-kit";
import { PointerRow } from "../db/entities.js";
import { loadPolicyInputs } from "./policy-inputs.js";

export const MAX_GRANT_DAYS = 90;

export interface AccessRequestRow {
  id: string;
  record_id: string;
  owner_org: string;
  requester_org: string;
  requester_sub: string;
  purpose: string;
  status: "PENDING" | "GRANTED" | "DECLINED";
  created_at: Date;
  decided_at: Date | null;
  decided_by: string | null;
  note: string | null;
  grant_expires_at: Date | null;
}

export function pointerRecord(p: PointerRow): PolicyRecord {
  return {
    id: p.recordId,
    owner: p.org,
    kind: p.kind as RecordKind,
    classification: p.classification as PolicyRecord["classification"],
    handling: p.handling as PolicyRecord["handling"],
    handlingOrgs: p.handlingOrgs,
    covert: p.covert,
    reviewDue: p.reviewDue,
  };
}

/**
 * Hit/no-hit follow-up: an analyst who got a POINTER asks the owner to release the
 * record; the owner's FORCE_ADMIN grants (time-limited, to that org, for that record) or
 * declines.
 */
export class AccessRequestService {
  constructor(private readonly db: DataSource) {}

  async request(by: Principal, recordId: string, purpose: string): Promise<AccessRequestRow> {
    const text = purpose.trim();
    if (text.includes("\u0000")) throw badInput("purpose cannot contain NUL characters", "purpose");
    if (text.length < 3 || text.length > 2000) throw badInput("purpose must be 3 to 2000 characters", "purpose");
    const g = parseGlobalId(recordId);
    const pointers = g ? await this.db.getRepository(PointerRow).findBy({ recordId }) : [];
    const now = new Date();
    const inputs = { ...(await loadPolicyInputs(this.db, g?.org)), now };
    const level = pointers.length ? decide(by, pointerRecord(pointers[0]!), inputs, "search").level : "NONE";
    // A record the caller may not know of is indistinguishable from one that does not exist.
    if (level === "NONE") throw notFound("No record with that id is known to you");
    if (level === "FULL") throw badInput("you can already read this record", "recordId");
    // Asking again while a request is pending returns it: a retry never queues a duplicate.
    // (The pending one may be decided between the two statements: then ask again.)
    for (;;) {
      const rows: AccessRequestRow[] = await this.db.query(
        `INSERT INTO access_request (id, record_id, owner_org, requester_org, requester_sub, purpose, status)
         VALUES ($1, $2, $3, $4, $5, $6, 'PENDING')
         ON CONFLICT (record_id, requester_org, requester_sub) WHERE status = 'PENDING' DO NOTHING RETURNING *`,
        [randomUUID(), recordId, g!.org, by.org, by.sub, text],
      );
      if (rows[0]) return rows[0];
      const pending: AccessRequestRow[] = await this.db.query(
        `SELECT * FROM access_request WHERE record_id = $1 AND requester_org = $2 AND requester_sub = $3 AND status = 'PENDING'`,
        [recordId, by.org, by.sub],
      );
      if (pending[0]) return pending[0];
    }
  }

  async decide(by: Principal, id: string, grant: boolean, expiresAt: Date | null, note: string | null): Promise<AccessRequestRow> {
    // A write reads first: a request the admin may not decide (another org's, or one for a
    // record the admin may not read in full) is answered as an id that names nothing.
    const [found]: (AccessRequestRow & { markings: PointerRow | null })[] = await this.db.query(`SELECT * FROM access_request WHERE id = $1`, [id]);
    const pointer = found ? await this.db.getRepository(PointerRow).findOneBy({ recordId: found.record_id }) : null;
    const facts = found ? { ownerOrg: found.owner_org, requesterOrg: found.requester_org, requesterSub: found.requester_sub } : null;
    if (!facts || !mayDecideAccessRequest(by, facts, pointer ? pointerRecord(pointer) : null)) {
      throw notFound("No pending request for your org's records with that id");
    }
    if (note && note.length > 2000) throw badInput("note is longer than 2000 characters", "note");
    if (note?.includes("\u0000")) throw badInput("note cannot contain NUL characters", "note");
    if (grant) {
      const max = Date.now() + MAX_GRANT_DAYS * 86400_000;
      if (!expiresAt || expiresAt.getTime() <= Date.now() || expiresAt.getTime() > max) {
        throw badInput(`expiresAt must be in the future and within ${MAX_GRANT_DAYS} days`, "expiresAt");
      }
    }
    // TypeORM answers an UPDATE … RETURNING with [rows, affected count].
    const [rows] = (await this.db.query(
      `UPDATE access_request SET status = $3, decided_at = now(), decided_by = $4, note = $5, grant_expires_at = $6
        WHERE id = $1 AND owner_org = $2 AND status = 'PENDING' RETURNING *`,
      [id, by.org, grant ? "GRANTED" : "DECLINED", `${by.sub}@${by.org}`, note, grant ? expiresAt : null],
    )) as [AccessRequestRow[], number];
    if (rows.length === 0) throw notFound("No pending request for your org's records with that id");
    return rows[0]!;
  }
}
