import { createHubDataSource } from "./db/data-source.js";

/** Applies pending migrations with the owner's URL; the hub's own role has no DDL rights. */
export async function migrateHub(ownerUrl: string): Promise<string[]> {
  const ds = createHubDataSource(ownerUrl);
  await ds.initialize();
  try {
    const applied = await ds.runMigrations({ transaction: "each" });
    return applied.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}
