/**
 * The force subgraph's public entry: what infra/ (schema composition, migrations, demo data)
 * and test/ may use. Anything else under src/ is private to the service (eslint enforces it).
 */
export { buildForceSubgraph } from "./graphql/org-schema.js";
export { createForceDataSource } from "./db/data-source.js";
export { IdentityRow } from "./db/entities.js";
export { ownerContext, type ForceContext } from "./context.js";
export { migrateForce } from "./migrate.js";
export { MonitoringService } from "./modules/monitoring/monitoring.service.js";
export { RecordService } from "./modules/records/record.service.js";
export { recordSighting } from "./modules/sightings/sighting.service.js";
export { republishSelectors } from "./modules/selectors/selector-pointer.js";
