import type { DataSource } from "typeorm";

/**
 * Applies a data source's pending migrations, each in its own transaction, and closes it.
 * Give it a data source on the owner's URL: the services' own roles have no DDL rights.
 */
export async function runPendingMigrations(ds: DataSource): Promise<string[]> {
  await ds.initialize();
  try {
    const applied = await ds.runMigrations({ transaction: "each" });
    return applied.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}
