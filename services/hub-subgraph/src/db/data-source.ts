import "reflect-metadata";
import { DataSource } from "typeorm";
import { HUB_ENTITIES } from "./entities.js";
import { AuditLog1732600000000 } from "@interforce/audit";
import { HubInitial1732500000001 } from "./migrations/1732500000001-hub-initial.js";
import { PolicyAdmin1732500000002 } from "./migrations/1732500000002-policy-admin.js";
import { AnalystSearch1732700000003 } from "./migrations/1732700000003-analyst-search.js";
import { MonitoringSightings1732810000001 } from "./migrations/1732810000001-monitoring-sightings.js";
import { OnePendingRequest1732900000001 } from "./migrations/1732900000001-one-pending-request.js";

export const HUB_MIGRATIONS = [
  HubInitial1732500000001,
  PolicyAdmin1732500000002,
  AuditLog1732600000000,
  AnalystSearch1732700000003,
  MonitoringSightings1732810000001,
  OnePendingRequest1732900000001,
];

export function createHubDataSource(url: string): DataSource {
  return new DataSource({
    type: "postgres",
    url,
    entities: HUB_ENTITIES,
    migrations: HUB_MIGRATIONS,
    migrationsTableName: "schema_migrations",
    synchronize: false,
    logging: false,
    applicationName: "interforce-hub",
    extra: { max: 10 },
  });
}
