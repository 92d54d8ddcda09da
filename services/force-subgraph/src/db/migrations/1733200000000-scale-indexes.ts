import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Indexes for a force at national scale (a hundred thousand identities and more): the hub's cross-force lists read
 * each force newest-seen first (identities) and newest first (forums) with the id ascending as tie-break, and the link
 * graph asks for the links at any end of a set of records, forums included.
 */
export class ScaleIndexes1733200000000 implements MigrationInterface {
  name = "ScaleIndexes1733200000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX online_identity_seen ON online_identity ((coalesce(last_seen, 'epoch'::timestamptz)) DESC, id ASC)`);
    await q.query(`CREATE INDEX forum_recent ON forum (created_at DESC, id ASC)`);
    await q.query(`CREATE INDEX suspect_link_to_forum ON suspect_link (to_forum_id) WHERE to_forum_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX online_identity_seen, forum_recent, suspect_link_to_forum`);
  }
}
