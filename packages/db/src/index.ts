export { startEmbeddedCluster, type EmbeddedCluster, type EmbeddedClusterOptions } from "./embedded.js";
export { provisionDatabase, confineMaintenanceDatabases, type DatabaseUrls, type ProvisionSpec } from "./provision.js";
export { databaseTargets, resolveDatabaseUrls, type DatabaseTarget } from "./urls.js";
export { provisionAll, type ProvisionAllOptions, type ProvisionAllResult } from "./provision-all.js";
export { runPendingMigrations } from "./migrate.js";
export {
  createSharedStateTables,
  createStatePool,
  sharedRateLimiter,
  sharedStateReady,
  SharedNonces,
  openSharedState,
  type SharedState,
  SHARED_STATE_DDL,
  NONCE_TABLE,
  RATE_LIMIT_TABLE,
} from "./shared-state.js";
export { withClient } from "./pg.js";
