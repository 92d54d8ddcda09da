export { startEmbeddedCluster, type EmbeddedCluster, type EmbeddedClusterOptions } from "./embedded.js";
export { provisionDatabase, confineMaintenanceDatabases, type DatabaseUrls, type ProvisionSpec } from "./provision.js";
export { databaseTargets, resolveDatabaseUrls, type DatabaseTarget } from "./urls.js";
export { provisionAll, type ProvisionAllOptions, type ProvisionAllResult } from "./provision-all.js";
export { runPendingMigrations } from "./migrate.js";
