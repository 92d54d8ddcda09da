import { expect, it } from "vitest";
import { ApiError, unavailableOrg } from "./errors";

const ORGS = ["NORFOLK", "KENT", "ESSEX", "CEOP"];

it("names the org an UNAVAILABLE error is about, from its extensions or else its message", () => {
  expect(unavailableOrg({ message: "x", extensions: { code: "UNAVAILABLE", org: "ESSEX" } }, ORGS)).toBe("ESSEX");
  expect(unavailableOrg({ message: "KENT did not answer in time", extensions: { code: "UNAVAILABLE" } }, ORGS)).toBe("KENT");
});

it("names no org for other errors, nor for a code merely inside a longer word", () => {
  expect(unavailableOrg({ message: "KENT refused", extensions: { code: "FORBIDDEN" } }, ORGS)).toBeUndefined();
  expect(unavailableOrg({ message: "KENTISH subgraph down", extensions: { code: "UNAVAILABLE" } }, ORGS)).toBeUndefined();
});

it("treats an error without a code as INTERNAL", () => {
  expect(ApiError.from({ message: "boom" }).code).toBe("INTERNAL");
});
