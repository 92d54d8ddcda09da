/**
 * Walks the composed API (schema/supergraph.graphql) to find every place a client can put a
 * string, and builds a valid operation around each, so the injection tests cover arguments
 * added after they were written. Values for the other arguments come from `defaults`.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLInputType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from "graphql";
import { REPO_ROOT } from "@interforce/domain";

export function apiSchema(): GraphQLSchema {
  return buildSchema(readFileSync(join(REPO_ROOT, "schema/supergraph.graphql"), "utf8"), { assumeValidSDL: true });
}

/** A way to reach a field from the root: the fields on the way, with no required arguments of their own. */
export interface Reach {
  operation: "query" | "mutation";
  /** Root field first; the last is the field whose argument is attacked. */
  path: { field: GraphQLField<unknown, unknown>; parent: string }[];
}

/** Where a string goes in: `KentMutation.recordOnlineIdentity(input).markings.conditions`. */
export interface StringSlot {
  key: string;
  reach: Reach;
  arg: GraphQLArgument;
  /** Input-object field names below the argument, outermost first. */
  inputPath: string[];
  scalar: string;
  list: boolean;
}

const isStringish = (name: string) => name === "String" || name === "ID";

function stripNonNull(t: GraphQLInputType): GraphQLInputType {
  return isNonNullType(t) ? (t.ofType as GraphQLInputType) : t;
}

/** Fields with arguments, reached through fields whose arguments are all optional (namespaces, pages, nodes). */
export function reachableFields(schema: GraphQLSchema, maxDepth = 4): { reach: Reach; field: GraphQLField<unknown, unknown>; parent: string }[] {
  const out: { reach: Reach; field: GraphQLField<unknown, unknown>; parent: string }[] = [];
  const seen = new Set<string>();
  for (const [operation, root] of [
    ["query", schema.getQueryType()],
    ["mutation", schema.getMutationType()],
  ] as const) {
    if (!root) continue;
    const queue: { type: string; path: Reach["path"] }[] = [{ type: root.name, path: [] }];
    while (queue.length) {
      const { type, path } = queue.shift()!;
      const t = schema.getType(type);
      if (!isObjectType(t) && !isInterfaceType(t)) continue;
      for (const field of Object.values(t.getFields())) {
        const key = `${type}.${field.name}`;
        if (seen.has(key) || field.name.startsWith("__")) continue;
        seen.add(key);
        const here = [...path, { field, parent: type }];
        if (field.args.length) out.push({ reach: { operation, path: here }, field, parent: type });
        const named = getNamedType(field.type);
        const passable = field.args.every((a) => !isNonNullType(a.type) || a.defaultValue !== undefined);
        if (passable && here.length < maxDepth && (isObjectType(named) || isInterfaceType(named))) queue.push({ type: named.name, path: here });
      }
    }
  }
  return out;
}

export function stringSlots(schema: GraphQLSchema): StringSlot[] {
  return slotsOf(schema, (t) => isScalarType(t) && isStringish(t.name));
}

/** Every argument or input field whose named type passes `match` (an enum, a custom scalar …). */
export function slotsOf(schema: GraphQLSchema, match: (t: ReturnType<typeof getNamedType>) => boolean): StringSlot[] {
  const slots: StringSlot[] = [];
  for (const { reach, field, parent } of reachableFields(schema)) {
    for (const arg of field.args) {
      const visit = (type: GraphQLInputType, inputPath: string[], depth: number) => {
        const inner = stripNonNull(type);
        const list = isListType(inner);
        const named = getNamedType(inner);
        if (match(named)) {
          slots.push({ key: `${parent}.${field.name}(${arg.name})${inputPath.map((p) => `.${p}`).join("")}`, reach, arg, inputPath, scalar: named.name, list });
        } else if (isInputObjectType(named) && depth < 4) {
          for (const f of Object.values(named.getFields())) visit(f.type, [...inputPath, f.name], depth + 1);
        }
      };
      visit(arg.type, [], 0);
    }
  }
  return slots;
}

/**
 * Every field taking `first` on a concrete type (interface fields are reached through their
 * implementations), as slots for an Int variable.
 */
export function pagedSlots(schema: GraphQLSchema): StringSlot[] {
  return reachableFields(schema)
    .filter(({ parent }) => isObjectType(schema.getType(parent)))
    .flatMap(({ reach, field, parent }) =>
      field.args.filter((a) => a.name === "first").map((arg) => ({ key: `${parent}.${field.name}`, reach, arg, inputPath: [], scalar: "Int", list: false })),
    );
}

export function pagedFields(schema: GraphQLSchema): string[] {
  return pagedSlots(schema).map((s) => s.key);
}

/** Defaults that make most operations valid, given a few records and an agreement of the stack. */
export function defaultsFor(
  ids: { identity: string; otherIdentity: string; forum: string; link: string; agreement: string },
  randomId: () => string,
): Defaults {
  const s = JSON.stringify;
  const at = (days: number) => s(new Date(Date.now() + days * 86400_000).toISOString());
  return ({ parent, field, name, type, attacked }) => {
    // The audit trail takes exactly one of recordId, sub and org.
    if (field === "auditTrail" && ["recordId", "sub", "org"].includes(name)) {
      const chosen = ["recordId", "sub", "org"].includes(attacked ?? "") ? attacked : "sub";
      return name === chosen ? (name === "sub" ? s("nobody@kent") : name === "org" ? s("KENT") : s(ids.identity)) : undefined;
    }
    if (type === "ID") {
      if (/Agreement$/.test(field) || (parent === "Query" && field === "agreement")) return s(ids.agreement);
      if (name === "toForumId" || name === "forumId" || /forum|Forum|Monitoring|RiskLevel/.test(field)) return s(ids.forum);
      if (field === "link" || field === "suspectLink") return s(ids.link);
      if (/^(decideAccessRequest|acknowledgeDeconflictionAlert|endMonitoring)$/.test(field)) return s(randomId());
      if (name === "toIdentityId") return s(ids.otherIdentity);
      return s(ids.identity);
    }
    // Agreements need two members; a list literal, used whole.
    if (name === "members") return `["CEOP", "ESSEX"]`;
    if (type === "String") {
      const byName: Record<string, string> = {
        handle: `inj_${randomId().slice(0, 8)}`,
        name: `inj ${randomId().slice(0, 8)}`,
        purpose: "op 24/1234",
        reason: "checking the record",
        note: "noted",
        conditions: "CEOP only",
        url: "https://forum.example/x",
        profileUrl: "https://social.example/x",
        platformOther: "other",
        selector: "something",
        query: "something",
        sub: "nobody@kent",
        org: "KENT",
        orgs: "KENT",
        conditionsOrgs: "CEOP",
        roles: "ANALYST",
        emails: "someone@example.org",
        phones: "01632 960000",
        idempotencyKey: randomId(),
      };
      return name in byName ? s(byName[name]!) : undefined;
    }
    if (type === "DateTimeISO") {
      const byName: Record<string, string> = {
        validFrom: s("2099-01-01T00:00:00Z"),
        expiresAt: at(1),
        nextReviewDue: at(30),
        reviewDue: at(180),
        firstSeen: at(-10),
        lastSeen: at(-1),
        seenAt: at(-1),
        at: at(0),
      };
      return byName[name];
    }
    if (name === "handling") return "P";
    if (name === "decision" && field === "decideAccessRequest") return "DECLINE";
    if (name === "decision") return "RETAIN";
    if (name === "expectedVersion") return "1";
    if (name === "platform") return "SNAPCHAT";
    return undefined;
  };
}

/** Chooses a value for an argument or input field that is not under attack (GraphQL literal text). */
export type Defaults = (where: { parent: string; field: string; name: string; type: string; attacked?: string }) => string | undefined;

function literal(
  type: GraphQLInputType,
  where: { parent: string; field: string; name: string },
  defaults: Defaults,
  target: { path: string[]; variable: string } | null,
  path: string[],
): string | undefined {
  const inner = stripNonNull(type);
  const named = getNamedType(inner);
  if (target && target.path.length === path.length && target.path.every((p, i) => p === path[i])) {
    return isListType(inner) ? `[${target.variable}]` : target.variable;
  }
  const chosen = defaults({ ...where, type: named.name });
  if (chosen !== undefined) return chosen;
  let value: string;
  if (isInputObjectType(named)) {
    const parts: string[] = [];
    for (const f of Object.values(named.getFields()) as GraphQLInputField[]) {
      const onTarget = target && target.path.length > path.length && target.path[path.length] === f.name;
      const required = isNonNullType(f.type) && f.defaultValue === undefined;
      const v =
        onTarget || required || defaults({ parent: named.name, field: f.name, name: f.name, type: getNamedType(f.type).name }) !== undefined
          ? literal(f.type, { parent: named.name, field: f.name, name: f.name }, defaults, target, [...path, f.name])
          : undefined;
      if (v !== undefined) parts.push(`${f.name}: ${v}`);
    }
    value = `{ ${parts.join(", ")} }`;
  } else if (isEnumType(named)) value = named.getValues()[0]!.name;
  else if (named.name === "Int") value = "1";
  else if (named.name === "Boolean") value = "false";
  else if (named.name === "Float") value = "1.0";
  else value = JSON.stringify("text");
  return isListType(inner) ? `[${value}]` : value;
}

function selectionFor(type: GraphQLOutputType): string {
  const named = getNamedType(type);
  return isObjectType(named) || isInterfaceType(named) || isUnionType(named) ? " { __typename }" : "";
}

/** A valid operation with `$v` in the slot, every other required argument filled from `defaults`. */
export function operationFor(slot: StringSlot, defaults: Defaults): { query: string; varType: string } {
  const varType = `${slot.scalar}${slot.list || slot.inputPath.length ? "!" : isNonNullType(slot.arg.type) ? "!" : ""}`;
  const fields = slot.reach.path;
  let body = "";
  for (let i = fields.length - 1; i >= 0; i--) {
    const { field, parent } = fields[i]!;
    const args: string[] = [];
    for (const arg of field.args) {
      const attacked = i === fields.length - 1 && arg.name === slot.arg.name;
      const required = isNonNullType(arg.type) && arg.defaultValue === undefined;
      const where = { parent, field: field.name, name: arg.name, attacked: i === fields.length - 1 ? slot.arg.name : undefined };
      if (!attacked && !required && defaults({ ...where, type: getNamedType(arg.type).name }) === undefined) continue;
      const v = literal(arg.type, where, defaults, attacked ? { path: slot.inputPath, variable: "$v" } : null, []);
      if (v !== undefined) args.push(`${arg.name}: ${v}`);
    }
    const inner = i === fields.length - 1 ? selectionFor(field.type) : ` { ${body} }`;
    body = `${field.name}${args.length ? `(${args.join(", ")})` : ""}${inner}`;
  }
  return { query: `${slot.reach.operation}($v: ${varType}) { ${body} }`, varType };
}
