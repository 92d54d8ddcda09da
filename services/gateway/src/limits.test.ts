import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type * as GraphQL from "graphql";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "@interforce/domain";
import { makeErrorFormatter } from "@interforce/server-kit";
import { costLimit, MAX_PAGE, operationCost } from "./limits.js";

// The CommonJS build of graphql, as the gateway process loads it (see limits.ts).
const { buildSchema, getOperationAST, GraphQLError, parse } = createRequire(import.meta.url)("graphql") as typeof GraphQL;
const schema = buildSchema(readFileSync(join(REPO_ROOT, "schema/supergraph.graphql"), "utf8"), { assumeValidSDL: true });
const MAX_COST = 20_000;

function cost(query: string, variables: Record<string, unknown> = {}): number | null {
  const document = parse(query);
  return operationCost(schema, document, getOperationAST(document)!, variables);
}

/** Identity → links → far end → identity, `hops` times, as in the query-limits tests. */
const hopsFrom = (hops: number, leaf = "id handle"): string =>
  hops === 0 ? leaf : `id handle links(first: 5) { nodes { toIdentity { identity { ... on OnlineIdentity { ${hopsFrom(hops - 1, leaf)} } } } } }`;

/** The analysts' deepest shape and the benchmark questions (test/bench/analyst-queries.ts). */
const realistic: [string, string, Record<string, unknown>][] = [
  [
    "two-hop link graph around a search hit",
    `query($s: String!) { search(query: $s, platform: SNAPCHAT) { nodes { identity { ... on OnlineIdentity { ${hopsFrom(2)} } } } } }`,
    { s: "x" },
  ],
  ["orgs", `{ orgs { code } }`, {}],
  [
    "who else holds this handle",
    `query($q: String!) { search(query: $q, fuzzy: true, first: 20) { nodes { org { code spoc { email } } match score access { level } identity { id handle status lastSeen grading { source assessment handling } } } } }`,
    { q: "x" },
  ],
  ["who holds this phone number", `query($q: String!) { search(query: $q) { nodes { recordId org { code } access { level } } } }`, { q: "x" }],
  [
    "link graph, 2 hops",
    `query($id: ID!) { linkGraph(rootId: $id, depth: 2) { nodes { id ... on OnlineIdentity { handle owner } } edges { id ... on SuspectLink { linkType } } } }`,
    { id: "x" },
  ],
  [
    "identities across forces",
    `{ identities(filter: { status: SUSPECT }, first: 20) { nodes { id ... on OnlineIdentity { handle owner lastSeen } } pageInfo { hasNextPage } } }`,
    {},
  ],
  ["forums across forces", `{ forums(first: 20) { nodes { id ... on Forum { name kind owner } } } }`, {}],
  [
    "a link and both ends",
    `query($id: ID!) { suspectLink(id: $id) { id ... on SuspectLink { linkType from { identity { handle owner } } toIdentity { identity { handle owner } } } } }`,
    { id: "x" },
  ],
  ["deconfliction alerts", `{ deconflictionAlerts(first: 20) { nodes { id trigger counterpartOrg contact { email } } } }`, {}],
  [
    "monitoring overview",
    `{ monitoringOverview { overlaps(first: 20) { nodes { orgs covertInvolved forum { forum { name owner } } } } unmonitoredHighRisk(first: 20) { nodes { org { code } access { level } forum { forum { name } } } } } }`,
    {},
  ],
  [
    "forums with who monitors them",
    `{ forums(first: 20) { nodes { id ... on Forum { name owner monitoring(first: 10) { nodes { id ... on MonitoringAssignment { org covert active leadOfficer { email } } } } } } } }`,
    {},
  ],
  [
    "who has seen this identity",
    `query($id: ID!) { identity(id: $id) { id ... on OnlineIdentity { handle sightings(first: 20) { nodes { id ... on Sighting { org seenAt forum { forum { name } } } } } } } }`,
    { id: "x" },
  ],
];

describe("operation cost", () => {
  it("counts a list given by a variable, by a schema default and by a literal alike", () => {
    const literal = cost(
      `{ kent { identities(first: 20) { nodes { links(first: 20) { nodes { toIdentity { identity { ... on OnlineIdentity { links(first: 20) { nodes { id } } } } } } } } } } }`,
    );
    const variable = cost(
      `query($n: Int!) { kent { identities(first: $n) { nodes { links(first: $n) { nodes { toIdentity { identity { ... on OnlineIdentity { links(first: $n) { nodes { id } } } } } } } } } } }`,
      { n: 20 },
    );
    const defaults = cost(
      `{ kent { identities { nodes { links { nodes { toIdentity { identity { ... on OnlineIdentity { links { nodes { id } } } } } } } } } } }`,
    );
    // links(first: 20) { nodes { id } } = (2 + 1) × 20 = 60; identity 61; toIdentity 62; nodes 63; links (63 + 1) × 20 = 1280;
    // nodes 1281; identities (1281 + 1) × 20; kent + 1.
    expect(literal).toBe(25_641);
    expect(variable).toBe(literal);
    expect(defaults).toBe(literal);
    // A variable left out takes the operation's own default.
    expect(cost(`query($n: Int! = 20) { kent { identities(first: $n) { nodes { id } } } }`)).toBe(cost(`{ kent { identities(first: 20) { nodes { id } } } }`));
  });

  it("puts the variable form of 100 × 100 × 100 links far over the budget", () => {
    const q = `query($n: Int!) { kent { identities(first: $n) { nodes { links(first: $n) { nodes { toIdentity { identity { ... on OnlineIdentity { links(first: $n) { nodes { id } } } } } } } } } } }`;
    expect(cost(q, { n: 100 })).toBeGreaterThan(MAX_COST * 100);
    expect(cost(q, { n: 5 })).toBeLessThan(MAX_COST);
  });

  it("counts a first past the page limit as the limit, and one below 1 as 1", () => {
    const q = `query($n: Int!) { kent { identities(first: $n) { nodes { id } } } }`;
    expect(cost(q, { n: 99_999_999 })).toBe(cost(q, { n: MAX_PAGE }));
    expect(cost(q, { n: -5 })).toBe(cost(q, { n: 1 }));
    expect(cost(q, { n: 0 })).toBe(cost(q, { n: 1 }));
  });

  it("leaves variables that do not fit their types to the executor", () => {
    expect(cost(`query($n: Int!) { kent { identities(first: $n) { nodes { id } } } }`, { n: 2 ** 31 })).toBeNull();
    expect(cost(`query($n: Int!) { kent { identities(first: $n) { nodes { id } } } }`, {})).toBeNull();
  });

  it("follows named fragments and skips what @skip and @include leave out", () => {
    const inline = cost(`{ kent { identities { nodes { id links { nodes { id } } } } } }`);
    expect(cost(`{ kent { identities { nodes { ...F } } } } fragment F on KentOnlineIdentity { id links { nodes { id } } }`)).toBe(inline);
    expect(cost(`query($big: Boolean!) { kent { identities { nodes { id links @include(if: $big) { nodes { id } } } } } }`, { big: true })).toBe(inline);
    expect(cost(`query($big: Boolean!) { kent { identities { nodes { id links @include(if: $big) { nodes { id } } } } } }`, { big: false })).toBeLessThan(
      inline!,
    );
  });

  it.each(realistic)("keeps %s well under the budget", (_name, query, variables) => {
    const found = cost(query, variables);
    expect(found).toBeGreaterThan(0);
    expect(found).toBeLessThanOrEqual(MAX_COST / 5);
  });
});

describe("the cost limit plugin", () => {
  async function resolve(query: string, variables: Record<string, unknown> = {}) {
    const hooks = await costLimit(MAX_COST).requestDidStart!({} as never);
    const document = parse(query);
    return hooks!.didResolveOperation!({ schema, document, operation: getOperationAST(document) ?? undefined, request: { variables } } as never);
  }

  it("refuses an operation over the budget with a 400 validation failure", async () => {
    const refusal = await resolve(`query($n: Int!) { kent { identities(first: $n) { nodes { links(first: $n) { nodes { id } } } } } }`, { n: 100 }).catch(
      (e: unknown) => e,
    );
    expect(refusal).toBeInstanceOf(GraphQLError);
    expect((refusal as GraphQL.GraphQLError).message).toBe("Query Cost limit of 20000 exceeded, found 30201.");
    expect((refusal as GraphQL.GraphQLError).extensions).toEqual({ code: "GRAPHQL_VALIDATION_FAILED", http: { status: 400 } });
  });

  it("lets an operation within the budget through", async () => {
    await expect(
      resolve(`query($n: Int!) { kent { identities(first: $n) { nodes { links(first: $n) { nodes { id } } } } } }`, { n: 50 }),
    ).resolves.toBeUndefined();
  });

  it("refuses an operation whose cost it cannot compute", async () => {
    // A schema of graphql's ES module build, whose types the analysis cannot read.
    const esmEntry = "graphql/index.mjs";
    const esm = (await import(esmEntry)) as typeof GraphQL;
    const other = esm.buildSchema(`type Query { items(first: Int! = 20): [Int!]! }`);
    const hooks = await costLimit(MAX_COST).requestDidStart!({} as never);
    const document = parse(`{ items }`);
    await expect(hooks!.didResolveOperation!({ schema: other, document, operation: getOperationAST(document), request: {} } as never)).rejects.toThrow(
      /could not be computed$/,
    );
    // 2^14 spreads of one fragment: more selections than the analysis will expand.
    const frags = Array.from({ length: 14 }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`).join("\n");
    const query = `{ ...F0 }\n${frags}\nfragment F14 on Query { orgs { code } }`;
    await expect(resolve(query)).rejects.toThrow(
      /^Query Cost limit of 20000 exceeded: the cost of this operation could not be computed \(Query exceeds the maximum allowed number of nodes\.\)$/,
    );
    // An argument the variables make invalid (null for a non-null first).
    await expect(resolve(`query($n: Int) { kent { identities(first: $n) { nodes { id } } } }`, { n: null })).rejects.toThrow(
      /could not be computed \(Argument "first" of non-null type "Int!" must not be null\.\)/,
    );
  });
});

describe("the error formatter in production", () => {
  const log = { error: () => undefined } as never;
  const format = (message: string, production: boolean) =>
    makeErrorFormatter(log, production)({ message, extensions: { code: "BAD_USER_INPUT" } }, new GraphQLError(message));

  it("removes every graphql-js suggestion and keeps what was wrong and the code", () => {
    const messages: [string, string][] = [
      [
        'Variable "$p" got invalid value "SNAPCHT"; Value "SNAPCHT" does not exist in "Platform" enum. Did you mean the enum value "SNAPCHAT"?',
        'Variable "$p" got invalid value "SNAPCHT"; Value "SNAPCHT" does not exist in "Platform" enum.',
      ],
      ['Cannot query field "handel" on type "KentOnlineIdentity". Did you mean "handle"?', 'Cannot query field "handel" on type "KentOnlineIdentity".'],
      [
        'Unknown argument "frist" on field "KentQuery.identities". Did you mean "first" or "after"?',
        'Unknown argument "frist" on field "KentQuery.identities".',
      ],
      [
        'Variable "$input" got invalid value { plaform: "X" }; Field "plaform" is not defined by type "RecordForumInput". Did you mean "platform"?',
        'Variable "$input" got invalid value { plaform: "X" }; Field "plaform" is not defined by type "RecordForumInput".',
      ],
      [
        'Cannot query field "handle" on type "Identity". Did you mean to use an inline fragment on "KentOnlineIdentity", "EssexOnlineIdentity", or "CeopOnlineIdentity"?',
        'Cannot query field "handle" on type "Identity".',
      ],
    ];
    for (const [message, expected] of messages) {
      expect(format(message, true)).toEqual({ message: expected, extensions: { code: "BAD_USER_INPUT" } });
      expect(format(message, false).message).toBe(message);
    }
  });
});
