import "reflect-metadata";
import { DataSource } from "typeorm";
import { FORCE_ENTITIES } from "./entities.js";
import { AuditLog1732600000000 } from "@interforce/audit";
import { Initial1732500000000 } from "./migrations/1732500000000-initial.js";
import { Selectors1732700000001 } from "./migrations/1732700000001-selectors.js";
import { MonitoringSightings1732810000000 } from "./migrations/1732810000000-monitoring-sightings.js";
import { MonitoringAssignmentRow } from "../modules/monitoring/monitoring.entity.js";
import { SightingRow } from "../modules/sightings/sighting.entity.js";

import { ScaleIndexes1733200000000 } from "./migrations/1733200000000-scale-indexes.js";
import { SharedState1733300000000 } from "./migrations/1733300000000-shared-state.js";

export const FORCE_MIGRATIONS = [
  Initial1732500000000,
  AuditLog1732600000000,
  Selectors1732700000001,
  MonitoringSightings1732810000000,
  ScaleIndexes1733200000000,
  SharedState1733300000000,
];

export function createForceDataSource(url: string, applicationName: string): DataSource {
  return new DataSource({
    type: "postgres",
    url,
    entities: [...FORCE_ENTITIES, MonitoringAssignmentRow, SightingRow],
    migrations: FORCE_MIGRATIONS,
    migrationsTableName: "schema_migrations",
    synchronize: false,
    logging: false,
    applicationName,
    // A database that does not accept a connection within a second is answered as UNAVAILABLE, not waited for.
    extra: { max: 10, connectionTimeoutMillis: 1000 },
  });
}
