import { runPendingMigrations } from "@interforce/db";
import { createForceDataSource } from "./db/data-source.js";

/** Applies pending migrations with the owner's URL; the service's own role has no DDL rights. */
export function migrateForce(ownerUrl: string, org: string): Promise<string[]> {
  return runPendingMigrations(createForceDataSource(ownerUrl, `interforce-migrate-${org.toLowerCase()}`));
}
