import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ensureDevKeys } from "./keys.js";
import { checkProductionIdentity, developmentIdentityProblems, usesDevelopmentKeys } from "./production-identity.js";

const home = mkdtempSync(join(tmpdir(), "interforce-prod-identity-"));
const dev = ensureDevKeys(home);
// A provisioned key set: the public half only, as an identity provider publishes it.
const provisioned = join(home, "idp-jwks.json");
writeFileSync(provisioned, JSON.stringify({ keys: [{ kty: "RSA", kid: "idp-1", n: "AQAB", e: "AQAB" }] }));
const idp = { issuer: "https://identity.force.example/", jwksUrl: "https://identity.force.example/jwks.json" };

afterAll(() => rmSync(home, { recursive: true, force: true }));

describe("a production service's identity provider", () => {
  it("accepts a JWKS URL or a provisioned key set with a real issuer", () => {
    expect(developmentIdentityProblems(idp)).toEqual([]);
    expect(developmentIdentityProblems({ issuer: idp.issuer, jwksPath: provisioned })).toEqual([]);
    expect(checkProductionIdentity("hub", idp, true, {})).toBeNull();
  });

  it("refuses to start on the development fallbacks, naming each", () => {
    expect(() => checkProductionIdentity("hub", {}, true, {})).toThrow(/refused to start in production mode[\s\S]*JWKS_URL[\s\S]*JWT_ISSUER must be set/);
    expect(() => checkProductionIdentity("hub", { ...idp, issuer: "interforce-dev-idp" }, true, {})).toThrow(/development issuer/);
    expect(() => checkProductionIdentity("hub", { issuer: idp.issuer, jwksPath: dev.jwksPath }, true, {})).toThrow(
      /development key set: a private key for one of its keys is on this host/,
    );
  });

  it("allows them only when the local launcher says so, with a warning to log; development mode is not checked", () => {
    const warning = checkProductionIdentity("hub", { jwksPath: dev.jwksPath }, true, { INTERFORCE_ALLOW_DEV_KEYS: "1" });
    expect(warning).toMatch(/^hub: production mode on development keys/);
    expect(() => checkProductionIdentity("hub", { jwksPath: dev.jwksPath }, true, { INTERFORCE_ALLOW_DEV_KEYS: "yes" })).toThrow();
    expect(checkProductionIdentity("hub", {}, false, {})).toBeNull();
  });
});

describe("usesDevelopmentKeys (whether the console may mint demo tokens)", () => {
  it("is true only for the home's own key set and the development issuer", () => {
    expect(usesDevelopmentKeys({}, home)).toBe(true);
    expect(usesDevelopmentKeys({ jwksPath: dev.jwksPath }, home)).toBe(true);
    expect(usesDevelopmentKeys(idp, home)).toBe(false);
    expect(usesDevelopmentKeys({ jwksPath: provisioned }, home)).toBe(false);
    expect(usesDevelopmentKeys({ issuer: "https://identity.force.example/" }, home)).toBe(false);
  });
});
