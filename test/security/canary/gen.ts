/**
 * fast-check arbitraries for GraphQL operations against the federation: random selection
 * sets over the record interfaces and the per-force types (aliases, many aliases of one
 * field, inline and named fragments, nested links), and root fields of every kind the
 * attacker can reach. Each generated case carries what its result must look like.
 */
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import {
  buildSchema,
  getNamedType,
  isAbstractType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind as GqlKind,
  parse,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  valueFromASTUntyped,
  type ASTNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
  type ValueNode,
} from "graphql";
import { emailSelector, handleSelector, normaliseHandle, phoneSelector } from "@interforce/domain";
import { cursorAt, KINDS, NS, ORGS, PREFIX, SUFFIX, type Kind, type Org, type Rec, type World } from "./world.js";
import { CLEARANCES, isDesk, mayAttempt, ROLES, type Gate, type Principal } from "./principals.js";
import { hubCursor } from "./hub-cursor.js";

/** Where an operation is sent: the gateway, the hub subgraph, or one force subgraph directly. */
export type Target = "gw" | "hub" | Org;
type CtxKind = "record" | Kind;
interface Ctx {
  kind: CtxKind;
  org: Org | null;
  mode: Target;
}

export type Arg = { lit: string } | { v: unknown; type: string };
export type Node =
  | { t: "f"; name: string; alias?: string; auto?: boolean; links?: number; tag?: string; args?: Record<string, Arg>; sub?: Node[] }
  | { t: "inl"; on: string | null; sub: Node[] }
  | { t: "frag"; on: string; sub: Node[] };

export type Expect =
  | { t: "hubById"; path: string[]; id: string; kind: Kind }
  | { t: "nsById"; path: string[]; id: string; kind: Kind; org: Org }
  | { t: "page"; path: string[]; org: Org; kind: Kind; first: number; after: string | null }
  | { t: "search"; path: string[]; term: string; platform: string | null; first: number; offset: number; fuzzy: boolean; hub: boolean }
  | {
      t: "hubList";
      path: string[];
      kind: "identity" | "forum";
      filter: IdentityFilterValue & { kind?: string };
      first: number;
      after: { t: number; id: string } | null;
    }
  | { t: "graph"; path: string[]; rootId: string; depth: number; types: string[] | null }
  | { t: "alerts"; path: string[] }
  | { t: "entities"; path: string[]; org: Org; reps: { __typename: string; id: string }[] }
  /** A list of monitoring assignments or sightings: exactly those the viewer may know of (`first` of them). */
  | { t: "owned"; path: string[]; kind: "monitoring" | "sighting"; org?: Org; forum?: string; identity?: string; first: number }
  /** An action the viewer may not attempt: refused FORBIDDEN at this path, nothing read. */
  | { t: "forbidden"; path: string[] }
  | { t: "explain"; path: string[]; org: Org; id: string; as: Principal }
  | { t: "agreements"; path: string[] }
  | { t: "agreement"; path: string[]; id: string }
  | { t: "requests"; path: string[] }
  | { t: "audit"; path: string[]; org: Org; recordId: string | null }
  /** A write: refused (an error at this path, nothing answered), answered, or either ("any": errors allowed). */
  | { t: "write"; path: string[]; outcome: "fail" | "ok" | "any" }
  /** An argument of the wrong shape for the field (another org's id in a namespace, a malformed id): an error is allowed here. */
  | { t: "lenient"; path: string[] };

export interface QueryCase {
  family: string;
  target: Target;
  query: string;
  variables: Record<string, unknown>;
  /** Send the x-purpose header. */
  purpose: boolean;
  /** A valid operation: it must succeed without errors. */
  valid: boolean;
  /** An invalid operation that must be refused with an error. */
  mustFail: boolean;
  expects: Expect[];
}

const IFACE: Record<CtxKind, string> = { record: "IntelligenceRecord", identity: "OnlineIdentity", forum: "Forum", link: "SuspectLink" };
export const concrete = (org: Org, kind: Kind) => `${PREFIX[org]}${SUFFIX[kind]}`;

const COMMON = ["id", "owner", "classification", "covert", "reviewDue", "createdBy", "createdAt", "updatedAt", "reviewOverdue"];
const IDENTITY_FIELDS = ["platform", "platformOther", "handle", "normalisedHandle", "displayName", "profileUrl", "status", "notes", "firstSeen", "lastSeen"];
const FORUM_FIELDS = ["platform", "name", "url", "kind", "riskSummary"];
const LINK_FIELDS = ["linkType", "rationale"];
const GRADING = ["source", "assessment", "handling", "conditions", "conditionsOrgs"];
const CONTACT = ["name", "email", "phone"];

export const f = (name: string, extra: Partial<Extract<Node, { t: "f" }>> = {}): Node => ({ t: "f", name, ...extra });
/** Reserved aliases added to every record selection set, so the checker can tell records apart. */
export const RID = "_rid";
export const TN = "_tn";
export const RESERVED: Node[] = [f("id", { alias: RID }), f("__typename", { alias: TN })];

// ---------------------------------------------------------------------------------------
// Printing

export class Printer {
  private n = 0;
  private readonly fragNames = new Map<Node, string>();
  private readonly fragDefs: string[] = [];
  private readonly varDefs: string[] = [];
  readonly vars: Record<string, unknown> = {};

  arg(a: Arg): string {
    if ("lit" in a) return a.lit;
    const name = `v${this.n++}`;
    this.vars[name] = a.v;
    this.varDefs.push(`$${name}: ${a.type}`);
    return `$${name}`;
  }

  sel(nodes: Node[]): string {
    return `{ ${nodes.map((x) => this.node(x)).join(" ")} }`;
  }

  node(x: Node): string {
    if (x.t === "f") {
      let alias = x.alias;
      if (!alias && x.links !== undefined) alias = `L${this.n++}_${x.links}`;
      else if (!alias && x.tag) alias = `${x.tag}_${this.n++}`;
      else if (!alias && x.auto) alias = `a${this.n++}`;
      const entries = Object.entries(x.args ?? {});
      const args = entries.length ? `(${entries.map(([k, v]) => `${k}: ${this.arg(v)}`).join(", ")})` : "";
      return `${alias ? `${alias}: ` : ""}${x.name}${args}${x.sub ? ` ${this.sel(x.sub)}` : ""}`;
    }
    if (x.t === "inl") return `...${x.on ? ` on ${x.on}` : ""} ${this.sel(x.sub)}`;
    let name = this.fragNames.get(x);
    if (!name) {
      name = `F${this.n++}`;
      this.fragNames.set(x, name);
      // Register before printing the body, so the definitions keep a stable order.
      this.fragDefs.push("");
      const at = this.fragDefs.length - 1;
      this.fragDefs[at] = `fragment ${name} on ${x.on} ${this.sel(x.sub)}`;
    }
    return `...${name}`;
  }

  document(op: "query" | "mutation", roots: Node[]): string {
    const body = this.sel(roots);
    const head = this.varDefs.length ? `${op} Q(${this.varDefs.join(", ")})` : op;
    return [`${head} ${body}`, ...this.fragDefs].join("\n");
  }
}

// ---------------------------------------------------------------------------------------
// Selection sets

const orgsIn = (mode: Target): readonly Org[] => (mode === "gw" || mode === "hub" ? ORGS : [mode]);

/** Fragment type conditions that may be spread in a context, with the context inside. */
function fragmentTargets(ctx: Ctx): { on: string; ctx: Ctx }[] {
  const out: { on: string; ctx: Ctx }[] = [{ on: IFACE.record, ctx: { kind: "record", org: null, mode: ctx.mode } }];
  const kinds = ctx.kind === "record" ? KINDS : [ctx.kind];
  for (const k of kinds) {
    out.push({ on: IFACE[k], ctx: { kind: k, org: null, mode: ctx.mode } });
    for (const o of ctx.org && ctx.kind !== "record" ? [ctx.org] : orgsIn(ctx.mode)) out.push({ on: concrete(o, k), ctx: { kind: k, org: o, mode: ctx.mode } });
  }
  return out;
}

function scalarsOf(ctx: Ctx): string[] {
  if (ctx.mode === "hub") return ["id"];
  const extra = ctx.kind === "identity" ? IDENTITY_FIELDS : ctx.kind === "forum" ? FORUM_FIELDS : ctx.kind === "link" ? LINK_FIELDS : [];
  return [...COMMON, ...extra];
}

const cache = new Map<string, fc.Arbitrary<Node[]>>();

/**
 * A reference (`IdentityRef`, `ForumRef`): through the gateway its only field is the record,
 * read from its owner (the id is the key between subgraphs, not in the API); a force
 * subgraph called directly answers the key.
 */
const refFields = (mode: Target, refKind: "identity" | "forum"): Node[] =>
  mode === "gw" ? [f(refKind, { sub: [...RESERVED, f(refKind === "identity" ? "handle" : "name")] })] : [f("id")];
export const sightingFields = (mode: Target): Node[] => [
  f("org"),
  f("seenAt"),
  f("note"),
  f("classification"),
  f("createdBy"),
  f("identity", { sub: refFields(mode, "identity") }),
  f("forum", { sub: refFields(mode, "forum") }),
];
export const assignmentFields = (mode: Target): Node[] => [
  f("org"),
  f("from"),
  f("to"),
  f("active"),
  f("covert"),
  f("classification"),
  f("createdBy"),
  f("leadOfficer", { sub: [f("name"), f("email"), f("phone")] }),
  f("forum", { sub: refFields(mode, "forum") }),
];
/**
 * A list of monitoring assignments or sightings, with the reserved fields on each node. On a
 * record (a forum's `monitoring`, an identity's `sightings`) its alias says what it is and
 * how many were asked for (`MN5_…`, `SG20_…`), so the checker can tell exactly what it must hold.
 */
export function ownedListArb(field: string, fields: Node[], args: Record<string, Arg> = {}): fc.Arbitrary<{ node: Node; first: number }> {
  return fc.tuple(fc.subarray(fields, { minLength: 1 }), fc.option(fc.constantFrom(1, 2, 5, 50), { freq: 2 }), fc.boolean()).map(([fs, first, activeOnly]) => {
    const a: Record<string, Arg> = { ...args };
    if (first !== null) a.first = { lit: String(first) };
    if (field === "monitoring" && activeOnly) a.activeOnly = { lit: "true" };
    const tag = field === "monitoring" ? `MN${first ?? 20}` : field === "sightings" ? `SG${first ?? 20}` : undefined;
    return {
      node: f(field, {
        auto: !tag,
        tag,
        args: a,
        sub: [f("nodes", { sub: [...RESERVED, ...fs] }), f("pageInfo", { alias: "pi", sub: [f("hasNextPage"), f("endCursor")] })],
      }),
      first: first ?? 20,
    };
  });
}

/** A record selection set in a context, nesting at most `depth` more levels. */
export function selection(ctx: Ctx, depth: number): fc.Arbitrary<Node[]> {
  const key = `${ctx.kind}|${ctx.org}|${ctx.mode}|${depth}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const scalars = scalarsOf(ctx);
  const choices: fc.WeightedArbitrary<Node[]>[] = [
    { weight: 8, arbitrary: fc.tuple(fc.constantFrom(...scalars), fc.boolean()).map(([name, auto]) => [f(name, { auto })]) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom(...scalars), fc.integer({ min: 2, max: 12 }))
        .map(([name, k]) => Array.from({ length: k }, () => f(name, { auto: true }))),
    },
    { weight: 1, arbitrary: fc.boolean().map((auto) => [f("__typename", { auto })]) },
  ];
  if (ctx.mode !== "hub" && ctx.kind === "identity") {
    choices.push({
      weight: 1,
      arbitrary: fc.subarray(["kind", "value"], { minLength: 1 }).map((fs) => [f("selectors", { auto: true, sub: fs.map((x) => f(x)) })]),
    });
  }
  if (ctx.mode !== "hub" && ctx.kind === "forum") choices.push({ weight: 1, arbitrary: fc.constant([f("riskLevel", { auto: true })]) });
  // Joint monitoring and sightings: fields the hub adds to forums and identities.
  if (ctx.mode === "gw" && ctx.kind === "identity")
    choices.push({ weight: 2, arbitrary: ownedListArb("sightings", sightingFields("gw")).map((o) => [o.node]) });
  if (ctx.mode === "gw" && ctx.kind === "forum")
    choices.push({ weight: 2, arbitrary: ownedListArb("monitoring", assignmentFields("gw")).map((o) => [o.node]) });
  if (ctx.mode !== "hub") {
    choices.push(
      { weight: 1, arbitrary: fc.subarray(GRADING, { minLength: 1 }).map((fs) => [f("grading", { auto: true, sub: fs.map((x) => f(x)) })]) },
      {
        weight: 1,
        arbitrary: fc
          .tuple(fc.subarray(["level", "reason"]), fc.subarray(CONTACT, { minLength: 1 }))
          .map(([fs, cs]) => [f("access", { auto: true, sub: [...fs.map((x) => f(x)), f("contact", { sub: cs.map((x) => f(x)) })] })]),
      },
    );
  }
  if (depth > 0) {
    if (ctx.kind === "identity" && ctx.mode !== "hub") {
      const linkCtx: Ctx = { kind: "link", org: ctx.org, mode: ctx.mode };
      choices.push({
        weight: 3,
        arbitrary: fc.tuple(fc.constantFrom(undefined, 1, 2, 3, 20, 100), selection(linkCtx, depth - 1)).map(([first, sub]) => [
          f("links", {
            links: first ?? 20,
            args: first === undefined ? {} : { first: { lit: String(first) } },
            sub: [f("nodes", { sub }), f("pageInfo", { alias: "pi", sub: [f("hasNextPage"), f("endCursor")] })],
          }),
        ]),
      });
    }
    if (ctx.kind === "link" && ctx.mode !== "hub") {
      // Through the gateway a reference has no id: its record comes from its owner (null when
      // hidden), sometimes only its __typename is asked. A subgraph called directly answers the key.
      const refSel = (refKind: "identity" | "forum"): fc.Arbitrary<Node[]> =>
        ctx.mode === "gw"
          ? fc
              .tuple(fc.boolean(), fc.option(selection({ kind: refKind, org: null, mode: "gw" }, depth - 1), { freq: 5 }), fc.boolean())
              .map(([typename, sub, twice]) => [
                ...(typename || !sub ? [f("__typename", { auto: true })] : []),
                ...(sub ? [f(refKind, { auto: true, sub }), ...(twice ? [f(refKind, { auto: true, sub })] : [])] : []),
              ])
          : fc.boolean().map((extraId) => [f("id"), ...(extraId ? [f("__typename", { auto: true })] : [])]);
      choices.push({
        weight: 4,
        arbitrary: fc
          .tuple(fc.constantFrom("from", "toIdentity", "toForum"), refSel("identity"), refSel("forum"))
          .map(([end, idSel, forumSel]) => [f(end, { auto: true, sub: end === "toForum" ? forumSel : idSel })]),
      });
    }
    const targets = fragmentTargets(ctx);
    const inline = fc.oneof(
      ...targets.map((t) => selection(t.ctx, depth - 1).map((sub): Node[] => [{ t: "inl", on: t.on, sub }])),
      selection(ctx, depth - 1).map((sub): Node[] => [{ t: "inl", on: null, sub }]),
    );
    const named = fc.oneof(...targets.map((t) => selection(t.ctx, depth - 1).map((sub): Node[] => [{ t: "frag", on: t.on, sub }])));
    choices.push({ weight: 3, arbitrary: inline }, { weight: 3, arbitrary: named });
  }
  const arb = fc.array(fc.oneof(...choices), { minLength: 1, maxLength: 3 }).map((parts) => [...RESERVED, ...parts.flat()]);
  cache.set(key, arb);
  return arb;
}

// ---------------------------------------------------------------------------------------
// Values

const CONFUSABLE_FOR: Record<string, string[]> = {
  a: ["4", "@", "а", "A"],
  b: ["8", "B"],
  c: ["с", "C"],
  e: ["3", "е", "E"],
  h: ["н", "H"],
  i: ["1", "і", "I"],
  k: ["к", "K"],
  l: ["|", "L"],
  m: ["м", "M"],
  o: ["0", "о", "ο", "O"],
  p: ["р", "ρ", "P"],
  s: ["5", "$", "ѕ", "S"],
  t: ["7", "т", "T"],
  x: ["х", "X"],
  y: ["у", "Y"],
};
const SEPARATORS = ["", "", "_", ".", "-", " ", "__", " . ", "~", "*"];

/** A spelling of the words that normalises like them: look-alikes, case, separators. */
function spelling(words: string[]): fc.Arbitrary<string> {
  return fc.array(fc.nat(1000), { minLength: 64, maxLength: 64 }).map((tape) => {
    let i = 0;
    const next = () => tape[i++ % tape.length]!;
    return words
      .map((w) =>
        [...w]
          .map((ch) => {
            const alts = CONFUSABLE_FOR[ch];
            const r = next();
            if (alts && r % 3 === 0) return alts[r % alts.length]!;
            return r % 5 === 0 ? ch.toUpperCase() : ch;
          })
          .join(""),
      )
      .reduce((acc, w, j) => (j === 0 ? w : `${acc}${SEPARATORS[next() % SEPARATORS.length]}${w}`), "");
  });
}

const uuid = () => randomUUID();

export interface Pools {
  ids: Record<Kind, { hidden: string[]; visible: string[]; all: string[] }>;
  byOrgKind: (org: Org, kind: Kind) => Rec[];
  unknown: Record<Kind, string[]>;
  malformed: string[];
  handles: string[];
}

export function pools(w: World): Pools {
  const ids = Object.fromEntries(
    KINDS.map((k) => {
      const rs = w.records.filter((r) => r.kind === k);
      return [k, { hidden: rs.filter((r) => !r.visible).map((r) => r.id), visible: rs.filter((r) => r.visible).map((r) => r.id), all: rs.map((r) => r.id) }];
    }),
  ) as Pools["ids"];
  const unknown = Object.fromEntries(KINDS.map((k) => [k, ORGS.map((o) => `${o}:${k}:${uuid()}`)])) as Pools["unknown"];
  const someHidden = w.records.find((r) => !r.visible)!;
  const malformed = [
    "",
    "KENT",
    "KENT:identity",
    `kent:identity:${someHidden.uuid}`,
    someHidden.uuid,
    `KENT:identity:x' OR 1=1 --`,
    `HUB:identity:${uuid()}`,
    `${someHidden.id}:extra`,
    `${someHidden.id.toUpperCase()}`,
    `%`,
    "KENT:identity:00000000-0000-0000-0000-000000000000",
  ];
  return {
    ids,
    byOrgKind: (org, kind) => w.ordered[org][kind],
    unknown,
    malformed,
    handles: w.records.filter((r) => r.handle).map((r) => r.handle!),
  };
}

/** An id to look up, mostly hidden records of the kind, sometimes anything else. */
export function idArb(p: Pools, kind: Kind): fc.Arbitrary<string> {
  const other = KINDS.filter((k) => k !== kind).flatMap((k) => p.ids[k].all);
  // A principal may read nothing of a kind (a POLICY_ADMIN reads no record at all).
  const from = (weight: number, xs: string[]) => (xs.length ? [{ weight, arbitrary: fc.constantFrom(...xs) }] : []);
  return fc.oneof(...from(6, p.ids[kind].hidden), ...from(3, p.ids[kind].visible), ...from(1, other), ...from(1, p.unknown[kind]), ...from(1, p.malformed));
}

export const argOf = (value: string, type: string): fc.Arbitrary<Arg> =>
  fc.boolean().map((asVar) => (asVar ? { v: value, type } : { lit: JSON.stringify(value) }));

// ---------------------------------------------------------------------------------------
// Root fields

export interface Root {
  node: Node;
  expects: Expect[];
  /** For the counts: which field this root exercises. */
  label?: string;
}
export const withAlias = (r: Root, alias: string): Root => ({
  node: { ...(r.node as Extract<Node, { t: "f" }>), alias },
  expects: r.expects.map((e) => ({ ...e, path: [alias, ...e.path] })),
});

/** Hub routing: identity(id) / forum(id) / suspectLink(id). */
function routeRoot(p: Pools): fc.Arbitrary<Root> {
  return fc
    .constantFrom<[string, Kind]>(["identity", "identity"], ["forum", "forum"], ["suspectLink", "link"])
    .chain(([field, kind]) =>
      fc
        .tuple(idArb(p, kind), selection({ kind, org: null, mode: "gw" }, 2))
        .chain(([id, sub]) =>
          argOf(id, "ID!").map((a): Root => ({ node: f(field, { args: { id: a }, sub }), expects: [{ t: "hubById", path: [], id, kind }] })),
        ),
    );
}

function cursorArb(w: World, org: Org, kind: Kind): fc.Arbitrary<string | null> {
  const rs = w.ordered[org][kind];
  return fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 2, arbitrary: fc.constantFrom(...rs).map((r) => cursorAt(r)) });
}

export const LIST_FIELD: Record<Kind, string> = { identity: "identities", forum: "forums", link: "links" };
const ONE_FIELD: Record<Kind, string> = { identity: "identity", forum: "forum", link: "link" };

/** One field of a force namespace: a page or a lookup by id. */
function nsSub(w: World, p: Pools, org: Org, mode: Target, depth: number): fc.Arbitrary<Root> {
  const page = fc.constantFrom(...KINDS).chain((kind) =>
    fc
      .tuple(fc.constantFrom(undefined, 1, 2, 3, 4, 6, 20, 100), cursorArb(w, org, kind), selection({ kind, org, mode }, depth), fc.boolean())
      .map(([first, after, sub, extraNodes]): Root => {
        const args: Record<string, Arg> = {};
        if (first !== undefined) args.first = { lit: String(first) };
        if (after !== null) args.after = { lit: JSON.stringify(after) };
        return {
          node: f(LIST_FIELD[kind], {
            args,
            sub: [
              f("nodes", { sub }),
              f("pageInfo", { alias: "pi", sub: [f("hasNextPage"), f("endCursor")] }),
              ...(extraNodes ? [f("nodes", { auto: true, sub: [f("id")] })] : []),
            ],
          }),
          expects: [{ t: "page", path: [], org, kind, first: first ?? 20, after }],
        };
      }),
  );
  const byId = fc
    .constantFrom(...KINDS)
    .chain((kind) =>
      fc
        .tuple(idArb(p, kind), selection({ kind, org, mode }, depth))
        .chain(([id, sub]) =>
          argOf(id, "ID!").map((a): Root => ({ node: f(ONE_FIELD[kind], { args: { id: a }, sub }), expects: [{ t: "nsById", path: [], id, kind, org }] })),
        ),
    );
  const owned = fc.oneof(
    ownedListArb("monitoringAssignments", assignmentFields(mode)).map((o): Root => ({
      node: o.node,
      expects: [{ t: "owned", path: [], kind: "monitoring", org, first: o.first }],
    })),
    ownedListArb("sightings", sightingFields(mode)).map((o): Root => ({
      node: o.node,
      expects: [{ t: "owned", path: [], kind: "sighting", org, first: o.first }],
    })),
  );
  return fc.oneof({ weight: 3, arbitrary: page }, { weight: 2, arbitrary: byId }, { weight: 1, arbitrary: owned });
}

function nsRoot(w: World, p: Pools, mode: Target, depth: number): fc.Arbitrary<Root> {
  const orgs = mode === "gw" ? ORGS : [mode as Org];
  return fc.constantFrom(...orgs).chain((org) =>
    fc.array(nsSub(w, p, org, mode, depth), { minLength: 1, maxLength: 4 }).map((subs): Root => {
      const aliased = subs.map((s, j) => withAlias(s, `s${j}`));
      return { node: f(NS[org], { sub: aliased.map((s) => s.node) }), expects: aliased.flatMap((s) => s.expects) };
    }),
  );
}

/** Search terms: spellings of seeded handles (hidden ones included), emails, phones, random text. */
function termArb(w: World, p: Pools): fc.Arbitrary<string> {
  const randomText = fc
    .tuple(fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz"), fc.array(fc.constantFrom(..."abcxyz0123456789_-. @$|CANRY"), { maxLength: 30 }))
    .map(([a, rest]) => a + rest.join(""));
  const groups = w.groups.filter((g) => g.name !== "E");
  const emails = w.records.flatMap((r) => r.emails ?? []);
  const phones = w.records.flatMap((r) => r.phones ?? []);
  const keys = [...w.hiddenKeys.keys()];
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...groups).chain((g) => spelling(g.words)) },
    { weight: 3, arbitrary: fc.constantFrom(...p.handles) },
    { weight: 1, arbitrary: fc.constantFrom(...p.handles).map((h) => normaliseHandle(h)) },
    { weight: 1, arbitrary: fc.constantFrom(...p.handles).map((h) => h.toUpperCase()) },
    // Near misses, for fuzzy search: a hidden key or a group with letters dropped or changed.
    {
      weight: 3,
      arbitrary: fc
        .tuple(fc.constantFrom(...keys, ...groups.map((g) => g.words.join(""))), fc.integer({ min: 1, max: 4 }), fc.boolean())
        .map(([k, cut, swap]) => (swap ? `${k.slice(0, 3)}x${k.slice(4, k.length - cut)}` : k.slice(0, k.length - cut))),
    },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...emails), fc.boolean()).map(([e, up]) => (up ? ` ${e.toUpperCase()} ` : e)) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom(...phones), fc.nat(3))
        .map(([ph, f]) => [ph, ph.replace(/\s/g, ""), `+44 ${ph.replace(/\s/g, "").slice(1)}`, `0044${ph.replace(/\s/g, "").slice(1)}`][f]!),
    },
    { weight: 1, arbitrary: randomText },
  );
}

/** What the hub matches a search on (mirrors its documented interpretation of a query). */
export function searchKeys(term: string, platform: string | null): { selectors: string[]; key: string | null } | null {
  if (term.includes("@") && !term.trim().startsWith("@")) {
    const e = emailSelector(term);
    if (e) return { selectors: [e], key: null };
  }
  if (/^[\d\s()+.-]{7,25}$/.test(term.trim())) {
    const ph = phoneSelector(term);
    if (ph) return { selectors: [ph], key: null };
  }
  const key = normaliseHandle(term);
  if (!key) return null;
  return { selectors: platform ? [handleSelector(term, platform)] : [], key };
}

/** Identities an exact search by the attacker should hit, in the hub's order (org, then record id). */
export function expectedHits(w: World, term: string, platform: string | null): Rec[] {
  const k = searchKeys(term, platform);
  if (!k) return [];
  return w.records
    .filter((r) => r.kind === "identity" && r.searchLevel !== "NONE")
    .filter((r) => (k.selectors.length ? r.selectors!.some((x) => k.selectors.includes(x)) : normaliseHandle(r.handle!) === k.key))
    .sort((x, y) => (x.org < y.org ? -1 : x.org > y.org ? 1 : x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}

function searchRoot(w: World, p: Pools, mode: "gw" | "hub"): fc.Arbitrary<Root> {
  const platform = fc.oneof(
    { weight: 6, arbitrary: fc.constant<string | null>("SNAPCHAT") },
    { weight: 3, arbitrary: fc.constant<string | null>(null) },
    { weight: 1, arbitrary: fc.constantFrom<string | null>("INSTAGRAM", "OTHER", "TIKTOK") },
  );
  return fc
    .tuple(
      termArb(w, p),
      platform,
      fc.constantFrom(undefined, 1, 2, 3, 50),
      fc.oneof({ weight: 3, arbitrary: fc.constant<number | null>(null) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 4 }) }),
      fc.oneof({ weight: 2, arbitrary: fc.constant<boolean | undefined>(undefined) }, { weight: 3, arbitrary: fc.boolean() }),
      fc.boolean(),
    )
    .filter(([term]) => searchKeys(term, null) !== null && term.length <= 200)
    .chain(([term, plat, first, offset, fuzzy, deprecatedArg]) =>
      fc
        .tuple(
          argOf(term, "String"),
          selection({ kind: "identity", org: null, mode }, 1),
          fc.subarray(["org", "selector", "access", "recordId2", "match", "score"]),
        )
        .map(([termArg, sub, extras]): Root => {
          const args: Record<string, Arg> = deprecatedArg ? { selector: termArg } : { query: termArg };
          if (plat) args.platform = { lit: plat };
          if (first !== undefined) args.first = { lit: String(first) };
          if (offset !== null) args.after = { lit: JSON.stringify(hubCursor({ o: offset })) };
          if (fuzzy !== undefined) args.fuzzy = { lit: String(fuzzy) };
          const extraNodes: Node[] = extras.map((e) =>
            e === "org"
              ? f("org", { auto: true, sub: [f("code"), f("name"), f("spoc", { sub: [f("email"), f("phone")] })] })
              : e === "access"
                ? f("access", { auto: true, sub: [f("reason"), f("contact", { sub: [f("name")] })] })
                : e === "recordId2"
                  ? f("recordId", { auto: true })
                  : f(e, { auto: true }),
          );
          return {
            node: f("search", {
              args,
              sub: [
                f("hits", { sub: [f("recordId"), f("access", { alias: "acc", sub: [f("level")] }), f("identity", { sub }), ...extraNodes] }),
                f("pageInfo", { alias: "pi", sub: [f("hasNextPage"), f("endCursor")] }),
              ],
            }),
            expects: [{ t: "search", path: [], term, platform: plat, first: first ?? 20, offset: offset ?? 0, fuzzy: fuzzy ?? false, hub: mode === "hub" }],
          };
        }),
    );
}

// ---------------------------------------------------------------------------------------
// The hub's cross-force views: lists, the link graph, deconfliction alerts

const listKey = (r: Rec, kind: "identity" | "forum") => ({ t: kind === "identity" ? (r.lastSeen?.getTime() ?? 0) : r.createdAt.getTime(), id: r.id });

export interface IdentityFilterValue {
  platform?: string;
  status?: string;
  lastSeenFrom?: string;
  lastSeenTo?: string;
  source?: string[];
  assessment?: string[];
  orgs?: string[];
}

/** The records a hub list should give, newest first, then global id as a plain string. */
export function expectedHubList(
  w: World,
  kind: "identity" | "forum",
  filter: IdentityFilterValue & { kind?: string },
  after: { t: number; id: string } | null,
): Rec[] {
  const byKey = (a: { t: number; id: string }, b: { t: number; id: string }) => b.t - a.t || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return w.records
    .filter((r) => r.kind === kind && r.visible)
    .filter((r) => !filter.orgs?.length || filter.orgs.includes(r.org))
    .filter((r) => !filter.platform || r.platform === filter.platform)
    .filter((r) => !filter.kind || r.forumKind === filter.kind)
    .filter((r) => !filter.status || r.status === filter.status)
    .filter((r) => !filter.lastSeenFrom || (r.lastSeen != null && r.lastSeen.getTime() >= Date.parse(filter.lastSeenFrom)))
    .filter((r) => !filter.lastSeenTo || (r.lastSeen != null && r.lastSeen.getTime() < Date.parse(filter.lastSeenTo)))
    .filter((r) => !filter.source?.length || filter.source.includes(r.source!))
    .filter((r) => !filter.assessment?.length || filter.assessment.includes(r.assessment!))
    .map((r) => ({ r, k: listKey(r, kind) }))
    .filter(({ k }) => !after || byKey(after, k) < 0)
    .sort((a, b) => byKey(a.k, b.k))
    .map(({ r }) => r);
}

function hubListRoot(w: World, kind: "identity" | "forum"): fc.Arbitrary<Root> {
  const times = w.records.filter((r) => r.lastSeen).map((r) => r.lastSeen!.getTime());
  const time = fc.constantFrom(...times).chain((t) => fc.integer({ min: -5000, max: 5000 }).map((d) => new Date(t + d).toISOString()));
  const identityFilter: fc.Arbitrary<IdentityFilterValue> = fc.record(
    {
      platform: fc.constantFrom("SNAPCHAT", "INSTAGRAM", "OTHER"),
      status: fc.constantFrom("SUSPECT", "DECOY", "VICTIM_AT_RISK", "UNKNOWN"),
      lastSeenFrom: time,
      source: fc.subarray(["RELIABLE", "UNTESTED", "NOT_RELIABLE"], { minLength: 1 }),
      assessment: fc.subarray(["A", "B", "C", "D", "E"], { minLength: 1 }),
      orgs: fc.subarray([...ORGS], { minLength: 1 }),
    },
    { requiredKeys: [] },
  );
  const forumFilter: fc.Arbitrary<IdentityFilterValue & { kind?: string }> = fc.record(
    { platform: fc.constantFrom("DISCORD", "SNAPCHAT"), kind: fc.constantFrom("FORUM", "CHAT_ROOM"), orgs: fc.subarray([...ORGS], { minLength: 1 }) },
    { requiredKeys: [] },
  );
  const recs = w.records.filter((r) => r.kind === kind);
  const cursor = fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 2, arbitrary: fc.constantFrom(...recs).map((r) => listKey(r, kind)) });
  return fc
    .tuple(
      kind === "identity" ? identityFilter : forumFilter,
      fc.option(fc.constantFrom(1, 2, 3, 5, 8), { freq: 3 }),
      cursor,
      selection({ kind, org: null, mode: "gw" }, 1),
      fc.boolean(),
    )
    .map(([filter, first, after, sub, asVar]): Root => {
      const args: Record<string, Arg> = {};
      if (Object.keys(filter).length)
        args.filter = asVar ? { v: filter, type: kind === "identity" ? "IdentityFilter" : "ForumFilter" } : { lit: gqlLiteral(filter) };
      if (first !== null) args.first = { lit: String(first) };
      if (after) args.after = { lit: JSON.stringify(hubCursor(after)) };
      return {
        node: f(kind === "identity" ? "identities" : "forums", {
          args,
          sub: [f("nodes", { sub }), f("pageInfo", { alias: "pi", sub: [f("hasNextPage"), f("endCursor")] }), f("unavailableOrgs")],
        }),
        expects: [{ t: "hubList", path: [], kind, filter, first: first ?? 20, after }],
      };
    });
}

/** A GraphQL input literal for a filter: enum values bare, everything else as JSON. */
function gqlLiteral(v: IdentityFilterValue & { kind?: string }): string {
  const ENUMS = new Set(["platform", "status", "source", "assessment", "kind"]);
  return `{ ${Object.entries(v)
    .map(([k, x]) => `${k}: ${ENUMS.has(k) ? (Array.isArray(x) ? `[${x.join(", ")}]` : String(x)) : JSON.stringify(x)}`)
    .join(", ")} }`;
}

function linkGraphRoot(w: World): fc.Arbitrary<Root> {
  const identities = w.records.filter((r) => r.kind === "identity");
  return fc
    .tuple(
      fc.constantFrom(...identities),
      fc.option(fc.integer({ min: 1, max: 3 }), { freq: 3 }),
      fc.option(fc.subarray(["SAME_PERSON", "ALIAS_OF", "COMMUNICATES_WITH", "MEMBER_OF", "ADMIN_OF"], { minLength: 1 }), { freq: 2 }),
      selection({ kind: "identity", org: null, mode: "gw" }, 1),
      selection({ kind: "record", org: null, mode: "gw" }, 1),
      selection({ kind: "link", org: null, mode: "gw" }, 1),
    )
    .map(([root, depth, types, rootSel, nodeSel, edgeSel]): Root => {
      const args: Record<string, Arg> = { rootId: { lit: JSON.stringify(root.id) } };
      if (depth !== null) args.depth = { lit: String(depth) };
      if (types) args.types = { lit: `[${types.join(", ")}]` };
      return {
        node: f("linkGraph", {
          args,
          sub: [f("root", { sub: rootSel }), f("nodes", { sub: nodeSel }), f("edges", { sub: edgeSel }), f("depth"), f("truncated"), f("unavailableOrgs")],
        }),
        expects: [{ t: "graph", path: [], rootId: root.id, depth: depth ?? 2, types }],
      };
    });
}

/** The link graph the attacker should see: readable links whose both ends it may read. */
export function expectedGraph(w: World, rootId: string, depth: number, types: string[] | null): { nodes: Set<string>; edges: Set<string> } {
  const nodes = new Set<string>();
  const edges = new Set<string>();
  const root = w.byId.get(rootId);
  if (!root?.visible) return { nodes, edges };
  const checked = new Set<string>([rootId]);
  nodes.add(rootId);
  let frontier = [rootId];
  for (let hop = 0; hop < depth && frontier.length; hop++) {
    const links = w.records.filter(
      (l) =>
        l.kind === "link" &&
        l.visible &&
        !edges.has(l.id) &&
        (!types || types.includes(l.linkType!)) &&
        [l.from, l.toIdentity, l.toForum].some((e) => e && frontier.includes(e)),
    );
    const fresh: string[] = [];
    for (const l of links) for (const end of [l.from, l.toIdentity, l.toForum]) if (end && !checked.has(end) && !fresh.includes(end)) fresh.push(end);
    fresh.forEach((id) => checked.add(id));
    const visibleFresh = fresh.filter((id) => w.byId.get(id)?.visible);
    visibleFresh.forEach((id) => nodes.add(id));
    for (const l of links) {
      const to = l.toIdentity ?? l.toForum;
      if (nodes.has(l.from!) && to && nodes.has(to)) edges.add(l.id);
    }
    frontier = visibleFresh.filter((id) => w.byId.get(id)!.kind === "identity");
  }
  return { nodes, edges };
}

function alertsRoot(): fc.Arbitrary<Root> {
  return fc.tuple(fc.option(fc.boolean(), { freq: 2 }), fc.option(fc.constantFrom(1, 5, 50), { freq: 2 })).map(([ack, first]): Root => {
    const args: Record<string, Arg> = {};
    if (ack !== null) args.acknowledged = { lit: String(ack) };
    if (first !== null) args.first = { lit: String(first) };
    return {
      node: f("deconflictionAlerts", {
        args,
        sub: [
          f("nodes", {
            sub: [
              f("id"),
              f("trigger"),
              f("selector"),
              f("yourRecordId"),
              f("counterpartOrg"),
              f("contact", { sub: [f("name"), f("email")] }),
              f("advice"),
              f("occurrences"),
            ],
          }),
        ],
      }),
      expects: [{ t: "alerts", path: ["nodes"] }],
    };
  });
}

// ---------------------------------------------------------------------------------------
// What besides records a principal may know of: monitoring, sightings, agreements, access
// requests, alerts, the desk's views, and the force administration's (explanations, audit).

/** A namespace field, aliased `s0` inside its namespace. */
export const nsWrap = (org: Org, sub: Root): Root => {
  const a = withAlias(sub, "s0");
  return { node: f(NS[org], { sub: [a.node] }), expects: a.expects, label: sub.label };
};

/** A root the viewer may attempt as generated; otherwise it must be refused FORBIDDEN there, whatever it names. */
export const gated = (w: World, g: Gate, r: Root): Root => (mayAttempt(w.principal, g) ? r : { ...r, expects: [{ t: "forbidden", path: [] }] });

const AUDIT_FIELDS: Node[] = [
  f("nodes", {
    sub: [
      f("seq"),
      f("sub"),
      f("org"),
      f("roles"),
      f("operation"),
      f("action"),
      f("records", { sub: [f("id"), f("kind"), f("level"), f("reason")] }),
      f("recipientOrg"),
      f("detail"),
    ],
  }),
  f("pageInfo", { alias: "pi", sub: [f("hasNextPage"), f("endCursor")] }),
];

/** A principal to explain access for. */
const asArb: fc.Arbitrary<Principal> = fc
  .tuple(fc.constantFrom(...ORGS), fc.constantFrom(...ROLES), fc.constantFrom(...CLEARANCES), fc.boolean())
  .map(([org, role, clearance, covert]) => ({
    org,
    role,
    clearance,
    covert,
    sub: "explained",
    label: `${org} ${role} ${clearance}${covert ? " +covert" : ""}`,
  }));

export function ownedRoot(w: World, p: Pools): fc.Arbitrary<Root> {
  const org = fc.constantFrom(...ORGS);
  const label = (r: Root, l: string): Root => ({ ...r, label: l });
  const forumIds = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...p.ids.forum.all) }, { weight: 1, arbitrary: fc.constantFrom(...p.unknown.forum) });
  const identityIds = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...p.ids.identity.all) },
    { weight: 1, arbitrary: fc.constantFrom(...p.unknown.identity) },
  );
  const nsMonitoring = fc.tuple(org, fc.option(forumIds, { freq: 2 })).chain(([o, forum]) =>
    ownedListArb("monitoringAssignments", assignmentFields("gw"), forum ? { forumId: { v: forum, type: "ID" } } : {}).map((l) =>
      label(
        nsWrap(o, {
          node: l.node,
          // A namespace decides only its own org's forums: another org's is refused as bad input.
          expects:
            forum && !forum.startsWith(`${o}:`)
              ? [{ t: "lenient", path: [] }]
              : [{ t: "owned", path: [], kind: "monitoring", org: o, forum: forum ?? undefined, first: l.first }],
        }),
        "monitoringAssignments",
      ),
    ),
  );
  const nsSightings = org.chain((o) =>
    ownedListArb("sightings", sightingFields("gw")).map((l) =>
      label(nsWrap(o, { node: l.node, expects: [{ t: "owned", path: [], kind: "sighting", org: o, first: l.first }] }), "sightings"),
    ),
  );
  const forumMonitoring = fc.tuple(forumIds, ownedListArb("monitoring", assignmentFields("gw"))).map(([id, l]): Root => ({
    node: f("forum", { args: { id: { v: id, type: "ID!" } }, sub: [...RESERVED, l.node] }),
    expects: [{ t: "hubById", path: [], id, kind: "forum" }],
    label: "forum-monitoring",
  }));
  const identitySightings = fc.tuple(identityIds, ownedListArb("sightings", sightingFields("gw"))).map(([id, l]): Root => ({
    node: f("identity", { args: { id: { v: id, type: "ID!" } }, sub: [...RESERVED, l.node] }),
    expects: [{ t: "hubById", path: [], id, kind: "identity" }],
    label: "identity-sightings",
  }));
  const agreements = fc.option(fc.constantFrom("ACTIVE", "SUSPENDED"), { freq: 3 }).map((status): Root => ({
    node: f("agreements", {
      args: { first: { lit: "50" }, ...(status ? { status: { lit: status } } : {}) },
      sub: [f("nodes", { sub: [f("id"), f("name"), f("members"), f("kinds"), f("status")] })],
    }),
    expects: status ? [] : [{ t: "agreements", path: ["nodes"] }],
    label: "agreements",
  }));
  const agreement = fc.constantFrom(...w.agreements.map((a) => a.id), randomUUID()).map((id): Root => ({
    node: f("agreement", {
      args: { id: { v: id, type: "ID!" } },
      sub: [
        f("id"),
        f("name"),
        f("members"),
        f("status"),
        f("history", { args: { first: { lit: "5" } }, sub: [f("nodes", { sub: [f("version"), f("change"), f("changedBy"), f("members")] })] }),
      ],
    }),
    expects: [{ t: "agreement", path: [], id }],
    label: "agreement",
  }));
  const requests = fc.constant<Root>({
    node: f("accessRequests", {
      args: { first: { lit: "50" } },
      sub: [f("nodes", { sub: [f("id"), f("recordId"), f("owner"), f("requesterOrg"), f("requesterSub"), f("purpose"), f("status"), f("note")] })],
    }),
    expects: [{ t: "requests", path: ["nodes"] }],
    label: "accessRequests",
  });
  const alerts = alertsRoot().map((r) => label(gated(w, { t: "alerts" }, r), "deconflictionAlerts"));
  const desk = fc.option(fc.boolean(), { freq: 2 }).map((ack) =>
    label(
      gated(
        w,
        { t: "deskCovert" },
        {
          node: f("deconflictionDeskAlerts", {
            args: { first: { lit: "50" }, ...(ack !== null ? { acknowledged: { lit: String(ack) } } : {}) },
            sub: [
              f("nodes", {
                sub: [
                  f("id"),
                  f("trigger"),
                  f("selector"),
                  f("holderOrg"),
                  f("otherOrg"),
                  f("holderCovert"),
                  f("otherCovert"),
                  f("partners"),
                  f("holderContact", { sub: [f("name"), f("email")] }),
                  f("occurrences"),
                ],
              }),
            ],
          }),
          expects: [],
        },
      ),
      "deconflictionDeskAlerts",
    ),
  );
  const forumRef = f("forum", { sub: [f("forum", { sub: [...RESERVED, f("name"), f("riskSummary")] })] });
  const overview = fc.constantFrom(5, 50).map((first) =>
    label(
      gated(
        w,
        { t: "desk" },
        {
          node: f("monitoringOverview", {
            sub: [
              f("overlaps", {
                args: { first: { lit: String(first) } },
                sub: [
                  f("nodes", {
                    sub: [
                      f("orgs"),
                      f("covertInvolved"),
                      forumRef,
                      f("assignments", { sub: [...RESERVED, f("org"), f("covert"), f("leadOfficer", { sub: [f("name"), f("email")] })] }),
                    ],
                  }),
                ],
              }),
              f("unmonitoredHighRisk", {
                args: { first: { lit: String(first) } },
                sub: [
                  f("nodes", {
                    sub: [f("recordId"), f("org", { sub: [f("code")] }), f("access", { sub: [f("level"), f("reason")] }), forumRef, f("lastMonitoredUntil")],
                  }),
                ],
              }),
            ],
          }),
          expects: [],
        },
      ),
      "monitoringOverview",
    ),
  );
  // Mostly the viewer's own force, where a FORCE_ADMIN may ask.
  const adminOrg = fc.oneof({ weight: 3, arbitrary: fc.constant(w.principal.org) }, { weight: 1, arbitrary: org });
  const explain = fc.tuple(adminOrg, fc.constantFrom(...KINDS), asArb).chain(([o, kind, as]) =>
    fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...w.ordered[o][kind].map((r) => r.id)) }, { weight: 1, arbitrary: idArb(p, kind) }).map((id) =>
      label(
        nsWrap(
          o,
          gated(
            w,
            { t: "admin", org: o },
            {
              node: f("explainAccess", {
                args: {
                  recordId: { v: id, type: "ID!" },
                  as: { v: { org: as.org, roles: [as.role], clearance: as.clearance, covert: as.covert }, type: "PrincipalInput!" },
                },
                sub: [f("read", { sub: [f("level"), f("reason")] }), f("search", { sub: [f("level"), f("reason")] })],
              }),
              // An id of another org, or no global id at all, is bad input in a namespace.
              expects: id.startsWith(`${o}:`) ? [{ t: "explain", path: [], org: o, id, as }] : [{ t: "lenient", path: [] }],
            },
          ),
        ),
        "explainAccess",
      ),
    ),
  );
  const auditBy = (o: Org): fc.Arbitrary<{ args: Record<string, Arg>; recordId: string | null }> => {
    const own = [...KINDS.flatMap((k) => w.ordered[o][k].map((r) => r.id)), ...w.owned.filter((x) => x.org === o).map((x) => x.id)];
    // Whom to ask about: the fuzz's principals, and creators of records the viewer may read.
    const subs = [
      ...ROLES.map((r) => `canary.${r.toLowerCase()}.os.n@${o.toLowerCase()}`),
      "analyst0.attacker@essex",
      ...w.records.filter((r) => r.org === o && r.visible).map((r) => r.texts.at(-1)!),
    ];
    return fc.oneof(
      {
        weight: 4,
        arbitrary: fc.oneof(fc.constantFrom(...own), idArb(p, "identity")).map((id) => ({ args: { recordId: { v: id, type: "ID" } }, recordId: id })),
      },
      { weight: 2, arbitrary: fc.constantFrom(...subs).map((sub) => ({ args: { sub: { v: sub, type: "String" } }, recordId: null })) },
      { weight: 1, arbitrary: org.map((x) => ({ args: { org: { lit: JSON.stringify(x) } }, recordId: null })) },
    );
  };
  const audit = fc.tuple(adminOrg, fc.constantFrom(5, 20, 100)).chain(([o, first]) =>
    auditBy(o).map(({ args, recordId }) =>
      label(
        nsWrap(
          o,
          gated(
            w,
            { t: "admin", org: o },
            {
              node: f("auditTrail", { args: { ...args, first: { lit: String(first) } }, sub: AUDIT_FIELDS }),
              // An empty recordId is refused as bad input before anything is read, whoever asks.
              expects:
                recordId === ""
                  ? [{ t: "lenient", path: [] }]
                  : recordId && !recordId.startsWith(`${o}:`)
                    ? [
                        { t: "lenient", path: [] },
                        { t: "audit", path: [], org: o, recordId },
                      ]
                    : [{ t: "audit", path: [], org: o, recordId }],
            },
          ),
        ),
        "auditTrail",
      ),
    ),
  );
  return fc.oneof(
    { weight: 2, arbitrary: nsMonitoring },
    { weight: 2, arbitrary: nsSightings },
    { weight: 2, arbitrary: forumMonitoring },
    { weight: 2, arbitrary: identitySightings },
    { weight: 1, arbitrary: agreements },
    { weight: 1, arbitrary: agreement },
    { weight: 1, arbitrary: requests },
    { weight: 2, arbitrary: alerts },
    { weight: 1, arbitrary: desk },
    { weight: 1, arbitrary: overview },
    { weight: 3, arbitrary: explain },
    { weight: 3, arbitrary: audit },
  );
}

/** `_entities` on a force subgraph, called directly with representations of any records. */
function entitiesRoot(w: World, p: Pools, org: Org): fc.Arbitrary<Root> {
  const own = (k: Kind) => w.ordered[org][k].map((r) => r.id);
  const rep = fc
    .constantFrom(...KINDS)
    .chain((kind) =>
      fc
        .tuple(
          fc.oneof(
            { weight: 6, arbitrary: fc.constantFrom(...own(kind)) },
            { weight: 2, arbitrary: idArb(p, kind) },
            { weight: 1, arbitrary: fc.constantFrom(...KINDS.flatMap(own)) },
          ),
          fc.constantFrom(...KINDS),
          fc.nat(99),
        )
        .map(([id, asKind, r]) => ({ __typename: concrete(org, r < 85 ? kind : asKind), id })),
    );
  return fc
    .tuple(
      fc.array(rep, { minLength: 1, maxLength: 10 }),
      selection({ kind: "identity", org, mode: org }, 2),
      selection({ kind: "forum", org, mode: org }, 2),
      selection({ kind: "link", org, mode: org }, 2),
      fc.subarray([...KINDS], { minLength: 1 }),
    )
    .map(([reps, si, sf, sl, kinds]): Root => {
      const byKind: Record<Kind, Node[]> = { identity: si, forum: sf, link: sl };
      return {
        node: f("_entities", {
          args: { representations: { v: reps, type: "[_Any!]!" } },
          sub: [f("__typename", { alias: TN }), ...kinds.map((k): Node => ({ t: "inl", on: concrete(org, k), sub: byKind[k] }))],
        }),
        expects: [{ t: "entities", path: [], org, reps }],
      };
    });
}

function hubByIdRoot(p: Pools): fc.Arbitrary<Root> {
  return fc
    .constantFrom<[string, Kind]>(["identity", "identity"], ["forum", "forum"], ["suspectLink", "link"])
    .chain(([field, kind]) =>
      fc
        .tuple(idArb(p, kind), selection({ kind, org: null, mode: "hub" }, 2))
        .chain(([id, sub]) => argOf(id, "ID!").map((a): Root => ({ node: f(field, { args: { id: a }, sub }), expects: [] }))),
    );
}

export function assemble(family: string, target: Target, roots: Root[], extra: Node[] = []): QueryCase {
  const aliased = roots.map((r, i) => withAlias(r, `r${i}`));
  const printer = new Printer();
  const query = printer.document("query", [...aliased.map((r) => r.node), ...extra]);
  return { family, target, query, variables: printer.vars, purpose: true, valid: true, mustFail: false, expects: aliased.flatMap((r) => r.expects) };
}

// ---------------------------------------------------------------------------------------
// The gateway's per-operation limits: cost (graphql-query-complexity on the supergraph, a
// field taking `first` costing its items' cost plus one times `first` as given by a literal,
// a variable or the schema default, capped at the page limit), depth and aliases (graphql-armor).
// Valid cases are generated within them, so they exercise the data path; the invalid family
// sends some that are not.

/** The largest page any list answers. */
const MAX_PAGE = 100;

let supergraph: GraphQLSchema | undefined;
function gatewaySchema(): GraphQLSchema {
  supergraph ??= buildSchema(readFileSync(new URL("../../../schema/supergraph.graphql", import.meta.url), "utf8"), { assumeValidSDL: true });
  return supergraph;
}

/** The operation's cost as the gateway computes it: per selection set, the dearest possible type. */
function gatewayCost(doc: DocumentNode, variables: Record<string, unknown>): number {
  const schema = gatewaySchema();
  const frags = new Map<string, FragmentDefinitionNode>();
  for (const d of doc.definitions) if (d.kind === GqlKind.FRAGMENT_DEFINITION) frags.set(d.name.value, d);
  const op = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === GqlKind.OPERATION_DEFINITION);
  if (!op) return 0;
  const varDefaults = new Map<string, unknown>();
  for (const v of op.variableDefinitions ?? []) if (v.defaultValue) varDefaults.set(v.variable.name.value, valueFromASTUntyped(v.defaultValue));
  const valueOf = (v: ValueNode): unknown => {
    if (v.kind !== GqlKind.VARIABLE) return valueFromASTUntyped(v);
    const name = v.name.value;
    return name in variables ? variables[name] : varDefaults.get(name);
  };
  const included = (node: SelectionNode): boolean => {
    for (const d of node.directives ?? []) {
      const arg = d.arguments?.find((a) => a.name.value === "if");
      const on = arg ? valueOf(arg.value) : undefined;
      if (typeof on !== "boolean") continue;
      if ((d.name.value === "include" && !on) || (d.name.value === "skip" && on)) return false;
    }
    return true;
  };
  const firstOf = (field: GraphQLField<unknown, unknown>, node: FieldNode): number | null => {
    const def = field.args.find((a) => a.name === "first");
    if (!def) return null;
    const arg = node.arguments?.find((a) => a.name.value === "first");
    let first = arg ? valueOf(arg.value) : undefined;
    if (first === undefined || first === null) first = def.defaultValue;
    return typeof first === "number" && Number.isFinite(first) ? Math.min(Math.max(first, 1), MAX_PAGE) : null;
  };
  const namesOf = (t: GraphQLCompositeType): string[] => (isAbstractType(t) ? schema.getPossibleTypes(t).map((x) => x.name) : [t.name]);
  const cost = (node: { selectionSet?: SelectionSetNode }, type: GraphQLCompositeType, active: Set<string>): number => {
    if (!node.selectionSet) return 0;
    const fields: Record<string, GraphQLField<unknown, unknown>> = isObjectType(type) || isInterfaceType(type) ? type.getFields() : {};
    const possible = namesOf(type);
    const byType = new Map<string, number>();
    const add = (c: number, types: readonly string[]) => {
      for (const t of types) byType.set(t, (byType.get(t) ?? 0) + c);
    };
    for (const child of node.selectionSet.selections) {
      if (!included(child)) continue;
      if (child.kind === GqlKind.FIELD) {
        const name = child.name.value;
        const field =
          name === "__typename" ? TypeNameMetaFieldDef : name === "__schema" ? SchemaMetaFieldDef : name === "__type" ? TypeMetaFieldDef : fields[name];
        if (!field) continue;
        const named = getNamedType(field.type);
        const inner = isCompositeType(named) ? cost(child, named, active) : 0;
        const first = firstOf(field, child);
        add(first === null ? inner + 1 : (inner + 1) * first, possible);
      } else {
        let on: GraphQLNamedType | undefined = type;
        let body: { selectionSet?: SelectionSetNode } = child as { selectionSet?: SelectionSetNode };
        let name: string | null = null;
        if (child.kind === GqlKind.FRAGMENT_SPREAD) {
          name = child.name.value;
          const def = frags.get(name);
          if (!def || active.has(name)) continue;
          on = schema.getType(def.typeCondition.name.value) ?? undefined;
          body = def;
        } else if (child.typeCondition) {
          on = schema.getType(child.typeCondition.name.value) ?? undefined;
        }
        if (!on || !isCompositeType(on)) continue;
        if (name) active.add(name);
        const c = cost(body, on, active);
        if (name) active.delete(name);
        add(c, namesOf(on));
      }
    }
    return Math.max(...byType.values(), 0);
  };
  const root = op.operation === "mutation" ? schema.getMutationType() : op.operation === "subscription" ? schema.getSubscriptionType() : schema.getQueryType();
  return root ? cost(op, root, new Set()) : 0;
}

/** Depth (fragments count for what they contain) and aliases, each fragment counted once. */
function shape(doc: DocumentNode): { depth: number; aliases: number } {
  const frags = new Map<string, FragmentDefinitionNode>();
  for (const d of doc.definitions) if (d.kind === GqlKind.FRAGMENT_DEFINITION) frags.set(d.name.value, d);
  const visited = new Set<string>();
  let aliases = 0;
  let maxDepth = 0;
  const walk = (node: ASTNode, depth: number): void => {
    if (node.kind === GqlKind.FIELD) {
      if (node.alias) aliases++;
      maxDepth = Math.max(maxDepth, depth);
    }
    if (node.kind === GqlKind.FRAGMENT_SPREAD) {
      if (visited.has(node.name.value)) return;
      visited.add(node.name.value);
      const def = frags.get(node.name.value);
      if (def) walk(def, depth);
      return;
    }
    if ("selectionSet" in node && node.selectionSet) {
      for (const child of node.selectionSet.selections) walk(child, child.kind === GqlKind.FIELD ? depth + 1 : depth);
    }
  };
  for (const d of doc.definitions) if (d.kind === GqlKind.OPERATION_DEFINITION) walk(d, 0);
  return { depth: maxDepth, aliases };
}

export function operationCost(query: string, variables: Record<string, unknown> = {}): { cost: number; depth: number; aliases: number } {
  const doc = parse(query);
  return { cost: gatewayCost(doc, variables), ...shape(doc) };
}

/** Comfortably inside the gateway's defaults (cost 20,000, depth 12, 150 aliases). */
export function withinLimits(c: QueryCase): boolean {
  if (c.target !== "gw") return true;
  const { cost, depth, aliases } = operationCost(c.query, c.variables);
  return cost <= 16_000 && depth <= 10 && aliases <= 100;
}

// ---------------------------------------------------------------------------------------
// Families

export function families(w: World) {
  const p = pools(w);
  const ok = (a: fc.Arbitrary<QueryCase>) => a.filter(withinLimits);
  // The org's deconfliction alerts are for analysts and force admins: others meet their refusal in the owned family.
  const alerts = mayAttempt(w.principal, { t: "alerts" }) ? [alertsRoot()] : [];
  const route = ok(fc.array(routeRoot(p), { minLength: 1, maxLength: 2 }).map((rs) => assemble("route", "gw", rs)));
  const ns = ok(fc.array(nsRoot(w, p, "gw", 1), { minLength: 1, maxLength: 2 }).map((rs) => assemble("namespace", "gw", rs)));
  const search = ok(fc.array(searchRoot(w, p, "gw"), { minLength: 1, maxLength: 2 }).map((rs) => assemble("search", "gw", rs)));
  const hubViews = ok(
    fc
      .array(fc.oneof(hubListRoot(w, "identity"), hubListRoot(w, "forum"), linkGraphRoot(w), ...alerts), { minLength: 1, maxLength: 2 })
      .map((rs) => assemble("hub-views", "gw", rs)),
  );
  const mixed = ok(
    fc
      .tuple(
        fc.array(fc.oneof(routeRoot(p), nsRoot(w, p, "gw", 1), searchRoot(w, p, "gw"), hubListRoot(w, "identity"), linkGraphRoot(w), ...alerts), {
          minLength: 2,
          maxLength: 3,
        }),
        fc.boolean(),
      )
      .map(([rs, orgs]) => assemble("mixed", "gw", rs, orgs ? [f("orgs", { auto: true, sub: [f("code"), f("name")] })] : [])),
  );
  const direct = fc
    .constantFrom(...ORGS)
    .chain((org) =>
      fc
        .tuple(fc.array(entitiesRoot(w, p, org), { minLength: 1, maxLength: 2 }), fc.option(nsRoot(w, p, org, 2), { freq: 3 }))
        .map(([es, nsr]) => assemble(`direct-${org.toLowerCase()}`, org, [...es, ...(nsr ? [nsr] : [])])),
    );
  const hub = fc.array(fc.oneof(hubByIdRoot(p), searchRoot(w, p, "hub")), { minLength: 1, maxLength: 3 }).map((rs) => assemble("hub-direct", "hub", rs));
  // One root per operation: a refused root would null its neighbours (namespaces are non-null).
  const owned = ok(ownedRoot(w, p).map((r) => assemble(`owned-${r.label}`, "gw", [r])));
  const valid = { route, ns, search, hubViews, mixed, direct, hub, owned };
  return { ...valid, invalid: invalidCases(w, p, fc.oneof(route, ns, search, hubViews, mixed, direct, hub)) };
}

// ---------------------------------------------------------------------------------------
// Invalid operations: their errors must not leak either.

const bad = (family: string, target: Target, query: string, variables: Record<string, unknown> = {}, mustFail = true): QueryCase => ({
  family: `invalid-${family}`,
  target,
  query,
  variables,
  purpose: true,
  valid: false,
  mustFail,
  expects: [],
});

function invalidCases(w: World, p: Pools, validArb: fc.Arbitrary<QueryCase>): fc.Arbitrary<QueryCase> {
  const hiddenId = (k: Kind) => fc.constantFrom(...p.ids[k].hidden);
  // Namespaces the viewer may not write into (nor administer): every write there must fail.
  const notMine = fc.constantFrom(...ORGS.filter((o) => !mayAttempt(w.principal, { t: "write", org: o })));
  const covertIds = w.records.filter((r) => r.why === "covert").map((r) => r.id);
  const anyHidden = fc.constantFrom(...KINDS.flatMap((k) => p.ids[k].hidden));
  const org = fc.constantFrom(...ORGS);
  const kind = fc.constantFrom(...KINDS);
  const fields = "id handle notes displayName profileUrl createdBy grading { conditions } access { level reason }";

  const truncated = fc
    .tuple(validArb, fc.double({ min: 0.05, max: 0.95, noNaN: true }))
    .map(([c, at]) => bad("truncated", c.target, c.query.slice(0, Math.floor(c.query.length * at)), c.variables));
  const unknownField = fc
    .tuple(
      validArb,
      fc.constantFrom("secretNotes", "rawHandle", "handle_", "notez", "coverName", "__schema { types { name } }", "_service { sdl }", "hiddenRecords"),
      fc.nat(),
    )
    .map(([c, name, k]) => {
      const opens = [...c.query.matchAll(/\{ /g)].map((m) => m.index!);
      const at = opens[k % opens.length]!;
      // Introspection and _service at the root are legal: those must merely not leak.
      return bad("unknown-field", c.target, `${c.query.slice(0, at)}{ ${name} ${c.query.slice(at + 2)}`, c.variables, !/^_/.test(name));
    });
  // Without a stated purpose nothing may be read at all (DPA 2018 s.62), visible or not.
  const noPurpose = validArb.map((c): QueryCase => ({ ...c, family: "invalid-no-purpose", purpose: false, valid: false, mustFail: false, expects: [] }));
  const badFirst = fc
    .tuple(org, kind, fc.constantFrom(0, -1, 101, 100000, 2147483647))
    .map(([o, k, n]) => bad("first", "gw", `{ ${NS[o]} { ${LIST_FIELD[k]}(first: ${n}) { nodes { id } pageInfo { hasNextPage } } } }`));
  // Needs an identity the viewer may read (else `links` is never reached).
  const badLinksFirst = !p.ids.identity.visible.length
    ? badFirst
    : fc.tuple(fc.constantFrom(...p.ids.identity.visible), fc.constantFrom(0, -5, 101)).map(([id, n]) =>
        bad(
          "links-first",
          "gw",
          `query($id: ID!) { identity(id: $id) { id ... on OnlineIdentity { handle notes links(first: ${n}) { nodes { id rationale } } } } }`,
          {
            id,
          },
        ),
      );
  const badAfter = fc
    .tuple(
      org,
      kind,
      fc.oneof(
        anyHidden,
        anyHidden.map((id) => Buffer.from(id).toString("base64url")),
        fc.constantFrom("garbage", "eyJ0IjoieCJ9", Buffer.from(JSON.stringify({ t: "2020-01-01T00:00:00Z", id: "x' OR 1=1 --" })).toString("base64url")),
      ),
    )
    .map(([o, k, after]) =>
      bad("after", "gw", `query($a: String) { ${NS[o]} { ${LIST_FIELD[k]}(after: $a) { nodes { id } pageInfo { hasNextPage endCursor } } } }`, { a: after }),
    );
  // At least one of selector, cursor and page size is bad; the cursors name nothing a search could return.
  const notCursors = [...covertIds, ...p.ids.forum.hidden, ...p.ids.link.hidden, `KENT:identity:${randomUUID()}`];
  const badSearch = fc
    .oneof(
      fc.tuple(fc.oneof(fc.constantFrom("", "   ", "!!!", "_-.", "%^&*"), fc.constant("a".repeat(201))), fc.constant(null), fc.constant(20)),
      fc.tuple(fc.constantFrom(...p.handles), fc.constantFrom(...notCursors), fc.constantFrom(1, 20)),
      fc.tuple(fc.constantFrom(...p.handles), fc.constant(null), fc.constantFrom(0, -1, 101)),
    )
    .map(([s, after, first]) =>
      bad(
        "search",
        "gw",
        `query($s: String!, $a: String) { search(query: $s, platform: SNAPCHAT, first: ${first}, after: $a) { hits { recordId access { level reason } identity { ${fields} } } pageInfo { hasNextPage endCursor } } }`,
        { s, a: after },
      ),
    );
  const badPlatform = fc
    .constantFrom(...p.handles)
    .map((h) => bad("platform", "gw", `{ search(query: ${JSON.stringify(h)}, platform: NOPE) { hits { recordId } } }`));
  const badHubViews = fc.tuple(anyHidden, fc.constantFrom(...p.ids.forum.all), fc.constantFrom(0, 4, -1)).chain(([hid, forumId, n]) =>
    fc.constantFrom(
      bad("link-graph", "gw", `{ linkGraph(rootId: ${JSON.stringify(forumId)}) { root { id } nodes { id } edges { id } } }`),
      bad(
        "link-graph",
        "gw",
        `{ linkGraph(rootId: ${JSON.stringify(hid)}, depth: ${n}) { root { id } nodes { id } edges { id ... on SuspectLink { rationale } } } }`,
      ),
      bad("hub-list", "gw", `{ identities(first: ${n === 4 ? 101 : n}) { nodes { id ... on OnlineIdentity { handle notes } } } }`),
      bad("hub-list", "gw", `query($a: String) { forums(after: $a) { nodes { id ... on Forum { name riskSummary } } } }`, {
        a: Buffer.from(JSON.stringify({ t: "x", id: hid })).toString("base64url"),
      }),
      bad("hub-list", "gw", `{ identities(filter: { orgs: ["MI5"] }) { nodes { id } } }`),
      bad("hub-list", "gw", `{ identities(filter: { lastSeenFrom: "2030-01-01T00:00:00Z", lastSeenTo: "2020-01-01T00:00:00Z" }) { nodes { id } } }`),
      bad("alerts", "gw", `{ deconflictionAlerts(first: ${n === 4 ? 101 : n}) { nodes { id selector yourRecordId advice } } }`),
      bad("alerts-ack", "gw", `mutation { acknowledgeDeconflictionAlert(id: ${JSON.stringify(hid)}) { id selector yourRecordId advice } }`),
    ),
  );
  const badVarType = anyHidden.map((id) => bad("var-type", "gw", `query($id: Int!) { identity(id: $id) { id } }`, { id }));
  const wrongFragment = fc
    .tuple(org, org, fc.constantFrom(...KINDS))
    .map(([o1, o2, k]) =>
      bad(
        "fragment",
        "gw",
        `{ ${NS[o1]} { ${LIST_FIELD[k]} { nodes { id ... on ${concrete(o2, k === "identity" ? "forum" : "identity")} { id } ...X } } } } fragment X on ${concrete(o2, k)} { id }`,
      ),
    );
  const gatewayEntities = fc.array(anyHidden, { minLength: 1, maxLength: 5 }).map((ids) =>
    bad("gateway-entities", "gw", `query($r: [_Any!]!) { _entities(representations: $r) { ... on KentOnlineIdentity { id handle notes } } }`, {
      r: ids.map((id) => ({ __typename: "KentOnlineIdentity", id })),
    }),
  );
  const badReps = fc
    .tuple(
      org,
      hiddenId("identity"),
      fc.constantFrom<Record<string, unknown>[]>(
        [{ __typename: "Foo", id: "x" }],
        [{ __typename: "IdentityRef", id: "x" }],
        [{ id: "x" }],
        [{ __typename: "NorfolkOnlineIdentity" }],
      ),
    )
    .map(([o, id, extra]) =>
      bad(
        "representations",
        o,
        `query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on ${concrete(o, "identity")} { ${fields} } } }`,
        {
          r: [
            ...extra,
            { __typename: concrete(o, "identity"), id },
            { __typename: "NorfolkOnlineIdentity", id },
            { __typename: concrete(o, "identity"), id: null },
          ],
        },
        false,
      ),
    );
  const mutations = fc.tuple(notMine, anyHidden, fc.constantFrom(...covertIds)).chain(([o, id, covertId]) =>
    fc.constantFrom(
      bad("mutation-write", "gw", `mutation($i: RecordOnlineIdentityInput!) { ${NS[o]} { recordOnlineIdentity(input: $i) { id handle notes } } }`, {
        i: {
          platform: "SNAPCHAT",
          handle: "attacker_probe",
          status: "SUSPECT",
          markings: { classification: "OFFICIAL", source: "RELIABLE", assessment: "B", handling: "P" },
        },
      }),
      bad(
        "mutation-reclassify",
        "gw",
        `mutation($id: ID!) { ${NS[o]} { reclassifyRecord(id: $id, classification: OFFICIAL, reason: "probe") { id ... on OnlineIdentity { handle notes } } } }`,
        { id },
      ),
      bad(
        "mutation-review",
        "gw",
        `mutation($id: ID!) { ${NS[o]} { reviewRecord(id: $id, decision: RETAIN, nextReviewDue: "2099-01-01T00:00:00Z") { id ... on OnlineIdentity { handle notes } } } }`,
        { id },
      ),
      bad(
        "mutation-link",
        "gw",
        `mutation($i: LinkIdentitiesInput!) { ${NS[o]} { linkIdentities(input: $i) { id from { identity { id handle notes } } toIdentity { identity { id handle notes } } } } }`,
        {
          i: {
            fromId: id,
            toIdentityId: covertId,
            linkType: "SAME_PERSON",
            markings: { classification: "OFFICIAL", source: "RELIABLE", assessment: "B", handling: "P" },
          },
        },
      ),
      bad("request-access", "gw", `mutation($id: ID!) { requestAccess(recordId: $id, purpose: "investigation 24/1234") { id recordId owner status } }`, {
        id: covertId,
      }),
      bad("decide-access", "gw", `mutation { decideAccessRequest(id: "${randomUUID()}", decision: GRANT, expiresAt: "2099-01-01T00:00:00Z") { id recordId } }`),
      bad(
        "admin",
        "gw",
        `query($id: ID!) { ${NS[o]} { explainAccess(recordId: $id, as: { org: "ESSEX", roles: ["ANALYST"], clearance: SECRET, covert: true }) { read { level reason } search { level } } auditTrail(recordId: $id) { nodes { detail records { id level reason } } } } }`,
        { id },
      ),
      bad("admin-org", "gw", `{ ${NS[o]} { auditTrail(org: "${o}") { nodes { sub detail records { id } } } } }`),
      // The desk's overview, to those it is not for (the owned family reads it as the desk).
      isDesk(w.principal)
        ? bad("decide-access", "gw", `mutation { decideAccessRequest(id: "${randomUUID()}", decision: DECLINE) { id recordId } }`)
        : bad(
            "overview",
            "gw",
            `{ monitoringOverview { overlaps { nodes { orgs covertInvolved forum { forum { id name } } assignments { id ... on MonitoringAssignment { leadOfficer { name email phone } } } } } unmonitoredHighRisk { nodes { recordId org { code } forum { forum { id name } } } } } }`,
          ),
      bad(
        "mutation-monitor",
        "gw",
        `mutation($f: ID!) { ${NS[o]} { assignMonitoring(input: { forumId: $f, covert: true, leadOfficer: { name: "probe", email: "probe@example.com", phone: "01234 567890" } }) { id leadOfficer { name } } } }`,
        { f: id.replace(/:(identity|link):/, ":forum:") },
      ),
      bad(
        "mutation-sighting",
        "gw",
        `mutation($i: ID!) { ${NS[o]} { recordSighting(input: { identityId: $i, seenAt: "2024-01-01T00:00:00Z", note: "probe" }) { id note identity { identity { id ... on OnlineIdentity { handle notes } } } } } }`,
        { i: covertId },
      ),
      bad("mutation-risk", "gw", `mutation($id: ID!) { ${NS[o]} { setForumRiskLevel(id: $id, riskLevel: HIGH, reason: "probe") { id name riskSummary } } }`, {
        id: id.replace(/:(identity|link):/, ":forum:"),
      }),
    ),
  );
  // A reference's id is the key between subgraphs, not part of the API: asking the gateway for
  // it, directly or through a fragment on the reference type, is refused before anything is read.
  const refIds = fc
    .tuple(org, fc.constantFrom("from", "toIdentity", "toForum"), fc.constantFrom(...p.ids.link.hidden, ...p.ids.link.visible))
    .chain(([o, end, linkId]) => {
      const ref = end === "toForum" ? "ForumRef" : "IdentityRef";
      const rec = end === "toForum" ? "forum" : "identity";
      return fc.constantFrom(
        bad("ref-id", "gw", `{ ${NS[o]} { links(first: 5) { nodes { id ${end} { id } } } } }`),
        bad("ref-id", "gw", `query($id: ID!) { suspectLink(id: $id) { id ... on SuspectLink { ${end} { id ${rec} { id } } } } }`, { id: linkId }),
        bad("ref-id", "gw", `query($id: ID!) { ${NS[o]} { link(id: $id) { ${end} { ... on ${ref} { id } } } } }`, { id: linkId }),
        bad("ref-id", "gw", `query($id: ID!) { ${NS[o]} { link(id: $id) { ${end} { ...R } } } } fragment R on ${ref} { id }`, { id: linkId }),
        bad("ref-id", "gw", `{ ${NS[o]} { sightings(first: 5) { nodes { id identity { id } forum { id } } } } }`),
        bad("ref-id", "gw", `{ ${NS[o]} { monitoringAssignments(first: 5) { nodes { id forum { id } } } } }`),
        bad("ref-id", "gw", `{ monitoringOverview { overlaps { nodes { forum { id } } } unmonitoredHighRisk { nodes { forum { id } } } } }`),
      );
    });
  const introspection = fc
    .constantFrom<Target>("gw", "hub", ...ORGS)
    .map((t) =>
      bad(
        "introspection",
        t,
        `{ __schema { types { name fields { name description } } } __type(name: "KentOnlineIdentity") { name fields { name } } }`,
        {},
        false,
      ),
    );
  return fc.oneof(
    { weight: 3, arbitrary: truncated },
    { weight: 3, arbitrary: unknownField },
    { weight: 3, arbitrary: noPurpose },
    { weight: 1, arbitrary: badFirst },
    { weight: 1, arbitrary: badLinksFirst },
    { weight: 2, arbitrary: badAfter },
    { weight: 2, arbitrary: badSearch },
    { weight: 1, arbitrary: badPlatform },
    { weight: 2, arbitrary: badHubViews },
    { weight: 1, arbitrary: badVarType },
    { weight: 1, arbitrary: wrongFragment },
    { weight: 1, arbitrary: gatewayEntities },
    { weight: 2, arbitrary: badReps },
    { weight: 3, arbitrary: mutations },
    { weight: 2, arbitrary: refIds },
    { weight: 1, arbitrary: introspection },
  );
}
