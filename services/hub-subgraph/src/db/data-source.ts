import "reflect-metadata";
import { DataSource } from "typeorm";
import { HUB_ENTITIES } from "./entities.js";
import { AuditLog1732600000000 } from "@interforce/audit";
import { HubInitial1732500000001 } from "./migrations/1732500000001-hub-initial.js";
import { PolicyAdmin1732500000002 } from "./migrations/1732500000002-policy-admin.js";
import { AnalystSearch1732700000003 } from "./migrations/1732700000003-analyst-search.js";
import { MonitoringSightings1732810000001 } from "./migrations/1732810000001-monitoring-sightings.js";
import { OnePendingRequest1732900000001 } from "./migrations/1732900000001-one-pending-request.js";
import { keyedSelectorsMigration } from "./migrations/1733200000001-keyed-selectors.js";
import { SharedState1733300000002 } from "./migrations/1733300000002-shared-state.js";
import type { SelectorKeyRing } from "@interforce/auth";

const hubMigrations = (keys?: SelectorKeyRing) => [
  HubInitial1732500000001,
  PolicyAdmin1732500000002,
  AuditLog1732600000000,
  AnalystSearch1732700000003,
  MonitoringSightings1732810000001,
  OnePendingRequest1732900000001,
  keyedSelectorsMigration(keys),
  SharedState1733300000002,
];

/** `selectorKeys` are needed only to migrate an index that holds plain selectors. */
export function createHubDataSource(url: string, opts: { selectorKeys?: SelectorKeyRing } = {}): DataSource {
  return new DataSource({
    type: "postgres",
    url,
    entities: HUB_ENTITIES,
    migrations: hubMigrations(opts.selectorKeys),
    migrationsTableName: "schema_migrations",
    synchronize: false,
    logging: false,
    applicationName: "interforce-hub",
    // A database that does not accept a connection within a second is answered as UNAVAILABLE, not waited for.
    extra: { max: 10, connectionTimeoutMillis: 1000 },
  });
}
