import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * One pending access request per requester and record: asking again while the first is
 * pending returns that request instead of queueing a duplicate for the owner's admin.
 * Duplicates already pending are declined, oldest kept.
 */
export class OnePendingRequest1732900000001 implements MigrationInterface {
  name = "OnePendingRequest1732900000001";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE access_request r SET status = 'DECLINED', decided_at = now(), decided_by = 'system', note = 'duplicate of an earlier pending request'
      WHERE r.status = 'PENDING' AND EXISTS (
        SELECT 1 FROM access_request e WHERE e.status = 'PENDING' AND e.record_id = r.record_id AND e.requester_org = r.requester_org
          AND e.requester_sub = r.requester_sub AND (e.created_at, e.id) < (r.created_at, r.id))`);
    await q.query(`CREATE UNIQUE INDEX access_request_one_pending ON access_request (record_id, requester_org, requester_sub) WHERE status = 'PENDING'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX access_request_one_pending`);
  }
}
