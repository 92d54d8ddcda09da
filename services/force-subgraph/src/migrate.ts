import { createForceDataSource } from "./db/data-source.js";

/** Applies pending migrations with the owner's URL; the service's own role has no DDL rights. */
export async function migrateForce(ownerUrl: string, org: string): Promise<string[]> {
  const ds = createForceDataSource(ownerUrl, `interforce-migrate-${org.toLowerCase()}`);
  await ds.initialize();
  try {
    const applied = await ds.runMigrations({ transaction: "each" });
    return applied.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}
