import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { isDatabaseOutage, makeErrorFormatter } from "./errors.js";

const format = makeErrorFormatter(pino({ level: "silent" }), true);

describe("makeErrorFormatter", () => {
  it("answers a representation of a type the subgraph does not have as bad input, naming no schema type", () => {
    const message =
      'The _entities resolver tried to load an entity for type "NorfolkOnlineIdentity", but no object or interface type of that name was found in the schema';
    const out = format({ message, path: ["_entities", 0] }, new Error(message));
    expect(out).toEqual({
      message: "A representation names a type this service does not have",
      path: ["_entities", 0],
      extensions: { code: "BAD_USER_INPUT", field: "representations" },
    });
  });

  it("masks any other unexpected error as INTERNAL, with no text of it", () => {
    const err = new Error('relation "online_identity" does not exist');
    const out = format({ message: err.message, path: ["kent", "identities"] }, err);
    expect(out).toEqual({ message: "Internal error", path: ["kent", "identities"], extensions: { code: "INTERNAL" } });
  });
});

describe("database outages", () => {
  it("tells a database that cannot be reached from a statement that failed", () => {
    expect(isDatabaseOutage(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }))).toBe(true);
    expect(isDatabaseOutage({ message: "Query failed", driverError: { code: "57P01", message: "terminating connection due to administrator command" } })).toBe(
      true,
    );
    expect(isDatabaseOutage(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isDatabaseOutage(new Error("timeout exceeded when trying to connect"))).toBe(true);
    expect(isDatabaseOutage({ message: "Query failed", driverError: { code: "57014", message: "canceling statement due to statement timeout" } })).toBe(false);
    expect(isDatabaseOutage({ message: "duplicate key", driverError: { code: "23505" } })).toBe(false);
    expect(isDatabaseOutage(new Error("boom"))).toBe(false);
  });
});
