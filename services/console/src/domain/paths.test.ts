import { expect, it } from "vitest";
import { identityPath } from "./paths";

it("keeps a global id's colons in the path and escapes what a path may not hold", () => {
  expect(identityPath("KENT:identity:0b8e")).toBe("/identity/KENT:identity:0b8e");
  expect(identityPath("KENT:identity:a/b?c")).toBe("/identity/KENT:identity:a%2Fb%3Fc");
});
