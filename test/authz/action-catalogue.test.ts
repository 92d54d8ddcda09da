/**
 * Every query and mutation names an action of the policy's catalogue: this walks the
 * composed API (schema/supergraph.graphql, as clients see it) and fails when a root field or
 * a field of an org's namespace has no action, when the catalogue names a field the API
 * lacks, or when an action is never asked for by the services.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildSchema, isObjectType, type GraphQLSchema } from "graphql";
import { loadRegistry } from "@interforce/domain";
import { ACTIONS, FIELD_ACTIONS, fieldActionKey, may } from "@interforce/policy";

const root = join(import.meta.dirname, "..", "..");
const orgs = loadRegistry().orgs.map((o) => ({ typePrefix: o.typePrefix, ns: o.code.toLowerCase(), code: o.code }));

function apiSchema(): GraphQLSchema {
  const sdl = readFileSync(join(root, "schema", "supergraph.graphql"), "utf8");
  return buildSchema(sdl, { assumeValidSDL: true });
}

function entryFields(schema: GraphQLSchema): string[] {
  const types = ["Query", "Mutation", ...orgs.flatMap((o) => [`${o.typePrefix}Query`, `${o.typePrefix}Mutation`])];
  return types.flatMap((t) => {
    const type = schema.getType(t);
    if (!type || !isObjectType(type)) return [];
    return Object.keys(type.getFields()).map((f) => `${t}.${f}`);
  });
}

function sources(dir: string): string {
  let out = "";
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === "node_modules") continue;
    if (statSync(p).isDirectory()) out += sources(p);
    else if (p.endsWith(".ts") && !p.endsWith(".test.ts")) out += readFileSync(p, "utf8");
  }
  return out;
}

describe("the action catalogue", () => {
  const schema = apiSchema();
  const fields = entryFields(schema);

  it("names an action for every root and namespace field of the API", () => {
    const missing = fields.filter((f) => {
      const [type, field] = f.split(".") as [string, string];
      return FIELD_ACTIONS[fieldActionKey(type, field, orgs)] === undefined;
    });
    console.log(`action catalogue: ${Object.keys(ACTIONS).length} actions, ${fields.length} entry fields checked`);
    expect(fields.length).toBeGreaterThan(40);
    expect(missing).toEqual([]);
  });

  it("names no field the API does not have", () => {
    const keys = new Set(fields.map((f) => fieldActionKey(f.split(".")[0]!, f.split(".")[1]!, orgs)));
    expect(Object.keys(FIELD_ACTIONS).filter((k) => !keys.has(k))).toEqual([]);
  });

  it("has every action it names asked for by a service", () => {
    const code = sources(join(root, "services"));
    const unused = [...new Set(Object.values(FIELD_ACTIONS))].filter((a) => !code.includes(`"${a}"`));
    expect(unused).toEqual([]);
  });

  it("keeps the services free of role lists and desk definitions of their own", () => {
    const code = sources(join(root, "services"));
    expect(code).not.toMatch(
      /requireWriter|requireForceAdmin|requirePolicyAdmin|requireDesk|requireAlertReader|requireDeconflictionDesk|ALERT_READERS|DESK_ROLES|WRITER_ROLES/,
    );
    expect(code).not.toMatch(/roles\.includes\("(OFFICER|ANALYST|FORCE_ADMIN|POLICY_ADMIN|SERVICE)"\)/);
  });

  it("lets only the org's own writers write into its namespace", () => {
    const kentOfficer = { sub: "o", org: "KENT", roles: ["OFFICER" as const], clearance: "OFFICIAL" as const, covert: false };
    expect(may(kentOfficer, "monitoring.end", { org: "KENT" }).allowed).toBe(true);
    expect(may(kentOfficer, "monitoring.end", { org: "ESSEX" }).allowed).toBe(false);
    expect(may({ ...kentOfficer, roles: ["ANALYST"] }, "monitoring.end", { org: "KENT" }).allowed).toBe(false);
    expect(may({ ...kentOfficer, roles: ["FORCE_ADMIN"] }, "audit.read", { org: "KENT" }).allowed).toBe(true);
    expect(may({ ...kentOfficer, roles: ["FORCE_ADMIN"] }, "audit.read", { org: "NORFOLK" }).allowed).toBe(false);
    expect(may({ ...kentOfficer, org: "CEOP", roles: ["ANALYST"] }, "alert.desk.list").allowed).toBe(false);
    expect(may({ ...kentOfficer, org: "CEOP", roles: ["ANALYST"], covert: true }, "alert.desk.list").allowed).toBe(true);
    expect(may({ ...kentOfficer, roles: ["ANALYST"], covert: true }, "monitoring.overview").allowed).toBe(false);
  });
});
