/**
 * The hub subgraph's public entry: what infra/ (schema composition, migrations, the pilot
 * agreement) and test/ may use. Anything else under src/ is private to the service.
 */
export { buildHubSubgraph } from "./graphql/hub-schema.js";
export { createHubDataSource } from "./db/data-source.js";
export { migrateHub } from "./migrate.js";
export { ensurePilotAgreement } from "./modules/agreements.js";
// The floor of the request path in bench:scale: the same statements as the search, issued directly.
export { loadPolicyInputs } from "./modules/policy-inputs.js";
export { raiseOnSearch } from "./modules/deconfliction.js";
// White-box tests read and make the hub's (sealed) cursors with the stack's selector keys.
export { encodeCursor, openCursor } from "./modules/cursor.js";
