import type { MigrationInterface, QueryRunner } from "typeorm";
import { createSharedStateTables, NONCE_TABLE, RATE_LIMIT_TABLE } from "@interforce/db/shared-state";

/**
 * State the service's replicas share (see @interforce/db shared-state): the nonces of accepted signed calls and
 * the rate-limit budgets, such as how many anonymous refusals are audited one by one each minute.
 */
export class SharedState1733300000002 implements MigrationInterface {
  name = "SharedState1733300000002";

  async up(q: QueryRunner): Promise<void> {
    await createSharedStateTables((sql) => q.query(sql));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ${NONCE_TABLE}, ${RATE_LIMIT_TABLE}`);
  }
}
