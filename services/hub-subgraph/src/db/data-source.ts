import "reflect-metadata";
import { DataSource } from "typeorm";
import { HUB_ENTITIES } from "./entities.js";
import { HubInitial1732500000001 } from "./migrations/1732500000001-hub-initial.js";

export const HUB_MIGRATIONS = [HubInitial1732500000001];

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
