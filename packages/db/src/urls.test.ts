import { describe, expect, it } from "vitest";
import { loadRegistry, orgDatabaseName } from "@interforce/domain";
import { provisionAll } from "./provision-all.js";
import { databaseTargets, resolveDatabaseUrls } from "./urls.js";

describe("database targets", () => {
  it("lists the hub, the gateway's shared state and every registered org with its own role", () => {
    const targets = databaseTargets();
    expect(targets[0]).toEqual({ key: "HUB", kind: "hub", database: loadRegistry().hub.database, role: "hub_app" });
    expect(targets[1]).toEqual({ key: "GATEWAY", kind: "gateway", database: "interforce_gateway", role: "gateway_app" });
    expect(targets.slice(2)).toEqual(
      loadRegistry().orgs.map((o) => ({
        key: o.code,
        kind: "force",
        database: orgDatabaseName(o.code),
        role: `${o.code.toLowerCase()}_app`,
      })),
    );
    expect(targets.find((t) => t.key === "KENT")).toEqual({ key: "KENT", kind: "force", database: "interforce_kent", role: "kent_app" });
  });

  it("takes external urls from DATABASE_URL_<KEY>, with an optional migration url", () => {
    const kent = databaseTargets().find((t) => t.key === "KENT")!;
    expect(resolveDatabaseUrls(kent, {})).toBeUndefined();
    expect(resolveDatabaseUrls(kent, { DATABASE_URL_KENT: "postgres://app@db/kent" })).toEqual({
      appUrl: "postgres://app@db/kent",
      ownerUrl: "postgres://app@db/kent",
    });
    expect(
      resolveDatabaseUrls(kent, {
        DATABASE_URL_KENT: "postgres://app@db/kent",
        MIGRATION_DATABASE_URL_KENT: "postgres://owner@db/kent",
      }),
    ).toEqual({ appUrl: "postgres://app@db/kent", ownerUrl: "postgres://owner@db/kent" });
    expect(() => resolveDatabaseUrls(kent, { MIGRATION_DATABASE_URL_KENT: "postgres://owner@db/kent" })).toThrow(/DATABASE_URL_KENT is not/);
  });

  it("starts no cluster when every target has an external url", async () => {
    const env = Object.fromEntries(databaseTargets().map((t) => [`DATABASE_URL_${t.key}`, `postgres://db/${t.database}`]));
    const { cluster, urls } = await provisionAll({ dataDir: "/nonexistent/interforce", port: 1, env });
    expect(cluster).toBeUndefined();
    expect(urls.HUB).toEqual({ appUrl: "postgres://db/interforce_hub", ownerUrl: "postgres://db/interforce_hub" });
    expect(Object.keys(urls)).toEqual(databaseTargets().map((t) => t.key));
  });
});
