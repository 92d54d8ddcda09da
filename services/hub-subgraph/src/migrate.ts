import { runPendingMigrations } from "@interforce/db";
import type { SelectorKeyRing } from "@interforce/auth";
import { createHubDataSource } from "./db/data-source.js";

/** Applies pending migrations with the owner's URL; the hub's own role has no DDL rights. */
export function migrateHub(ownerUrl: string, selectorKeys?: SelectorKeyRing): Promise<string[]> {
  return runPendingMigrations(createHubDataSource(ownerUrl, { selectorKeys }));
}
