import { describe, expect, it } from "vitest";
import { loadRegistry, subgraphName } from "@interforce/domain";
import { loadConfig } from "./config.js";

const secrets = ["hub", ...loadRegistry().orgs.map((o) => subgraphName(o.code))].map((n) => `${n}=${"s".repeat(40)}`).join(",");

describe("the gateway engine setting", () => {
  it("runs Apollo unless told otherwise, and Hive when asked", () => {
    expect(loadConfig({ DATABASE_URL: "postgres://gw@db/gw", SUBGRAPH_SECRETS: secrets }).engine).toBe("apollo");
    expect(loadConfig({ DATABASE_URL: "postgres://gw@db/gw", SUBGRAPH_SECRETS: secrets, GATEWAY_ENGINE: "hive" }).engine).toBe("hive");
    expect(loadConfig({ DATABASE_URL: "postgres://gw@db/gw", SUBGRAPH_SECRETS: secrets, GATEWAY_ENGINE: "hive-router" }).engine).toBe("hive-router");
  });

  it("refuses a Hive engine in production unless it is run as a trial", () => {
    for (const engine of ["hive", "hive-router"]) {
      expect(() =>
        loadConfig({ DATABASE_URL: "postgres://gw@db/gw", SUBGRAPH_SECRETS: secrets, GATEWAY_ENGINE: engine, INTERFORCE_MODE: "production" }),
      ).toThrow(/has not passed the security suite/);
      expect(
        loadConfig({
          DATABASE_URL: "postgres://gw@db/gw",
          SUBGRAPH_SECRETS: secrets,
          GATEWAY_ENGINE: engine,
          INTERFORCE_MODE: "production",
          GATEWAY_ENGINE_TRIAL: "1",
        }).engine,
      ).toBe(engine);
    }
    expect(loadConfig({ DATABASE_URL: "postgres://gw@db/gw", SUBGRAPH_SECRETS: secrets, INTERFORCE_MODE: "production" }).engine).toBe("apollo");
  });

  it("refuses to start with an engine it does not have, rather than falling back to another", () => {
    expect(() => loadConfig({ DATABASE_URL: "postgres://gw@db/gw", SUBGRAPH_SECRETS: secrets, GATEWAY_ENGINE: "nginx" })).toThrow(/GATEWAY_ENGINE/);
  });
});
