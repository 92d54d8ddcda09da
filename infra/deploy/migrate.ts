/**
 * Applies a service's pending migrations as its database owner, then exits: the image's
 * `migrate` target runs it before the service starts (a Kubernetes init container, a one-shot
 * Compose service). The running service's own role has no DDL rights.
 *   SERVICE=force-subgraph INTERFORCE_ORG=KENT MIGRATION_DATABASE_URL=postgres://… tsx infra/deploy/migrate.ts
 *   SERVICE=hub-subgraph SELECTOR_KEYS=… MIGRATION_DATABASE_URL=postgres://… tsx infra/deploy/migrate.ts
 */
import { parseSelectorKeys } from "@interforce/auth";
import { findOrg } from "@interforce/domain";
import { migrateForce } from "@interforce/force-subgraph";
import { migrateHub } from "@interforce/hub-subgraph";

const { SERVICE, INTERFORCE_ORG, MIGRATION_DATABASE_URL, SELECTOR_KEYS } = process.env;
if (!MIGRATION_DATABASE_URL) throw new Error("MIGRATION_DATABASE_URL must be the database owner's postgres:// URL");

let applied: string[];
if (SERVICE === "hub-subgraph") {
  applied = await migrateHub(MIGRATION_DATABASE_URL, parseSelectorKeys(SELECTOR_KEYS ?? ""));
} else if (SERVICE === "force-subgraph") {
  if (!INTERFORCE_ORG || !findOrg(INTERFORCE_ORG)) throw new Error("INTERFORCE_ORG must name an org of the registry");
  applied = await migrateForce(MIGRATION_DATABASE_URL, INTERFORCE_ORG);
} else {
  throw new Error("SERVICE must be force-subgraph or hub-subgraph");
}
console.log(applied.length ? `${SERVICE}: applied ${applied.join(", ")}` : `${SERVICE}: up to date`);
