/**
 * Hostile input: SQL metacharacters and 1 MB strings in every string argument of the API
 * (found by walking the composed schema, so new arguments are covered), values off the
 * allowlist of every enum and custom scalar, bad URLs and handles, a thrown database error,
 * IDOR by id on every path, writes into another org's namespace, a missing purpose, and
 * regression tests shaped like two Apollo Router advisories. Each checks the safe answer and
 * that nothing was written or disclosed.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isEnumType, isScalarType } from "graphql";
import { gql, identityInput, markings, RECORD_IDENTITY, sql, startTestStack, tokenFor, type GqlResult, type TestStack } from "@interforce/testkit";
import { apiSchema, defaultsFor, operationFor, slotsOf, stringSlots, type Defaults, type StringSlot } from "./schema-walk.js";
import { auditFor, codes, expectNothingWritten, indexed, INTERNALS, linkIdentities, recordIdentity, rowCounts, type Seeded } from "./support.js";

let stack: TestStack;
/** KENT records only KENT's covert-cleared officers may read. */
let covert: Seeded;
let secret: Seeded;
/** Readable by every member of the pilot agreement. */
let kentVisible: Seeded;
let norfolkVisible: Seeded;
let essexOwn: Seeded;
/** A KENT link between two visible records, and one from a visible record to the covert one. */
let kentLink: { id: string; rationale: string };
let covertLink: { id: string; rationale: string };
/** NORFOLK's own link to KENT's covert record (NORFOLK may know the id, not the record). */
let norfolkToCovert: { id: string; rationale: string };
let kentForumId: string;
let agreementId: string;
let hiddenTexts: string[];

const kentWriter = () => tokenFor({ org: "KENT", roles: ["OFFICER", "FORCE_ADMIN"], clearance: "SECRET", covert: true, sub: "officer@kent" });
const kentAnalyst = () => tokenFor({ org: "KENT", roles: ["ANALYST"], clearance: "OFFICIAL_SENSITIVE", sub: "analyst@kent" });
const essexAnalyst = () => tokenFor({ org: "ESSEX", roles: ["ANALYST"], clearance: "SECRET", sub: "analyst@essex" });
const essexAdmin = () => tokenFor({ org: "ESSEX", roles: ["OFFICER", "FORCE_ADMIN"], clearance: "SECRET", sub: "admin@essex" });
const norfolkAnalyst = () => tokenFor({ org: "NORFOLK", roles: ["ANALYST"], clearance: "SECRET", sub: "analyst@norfolk" });
const policyAdmin = () => tokenFor({ org: "CEOP", roles: ["POLICY_ADMIN"], clearance: "SECRET", sub: "policy@ceop" });

beforeAll(async () => {
  stack = await startTestStack();
  covert = await recordIdentity(stack, "KENT", { covert: true, classification: "SECRET" }, { status: "DECOY" });
  secret = await recordIdentity(stack, "KENT", { classification: "SECRET" });
  kentVisible = await recordIdentity(stack, "KENT");
  norfolkVisible = await recordIdentity(stack, "NORFOLK");
  essexOwn = await recordIdentity(stack, "ESSEX");
  kentLink = await linkIdentities(stack, "KENT", kentVisible.id, norfolkVisible.id);
  covertLink = await linkIdentities(stack, "KENT", kentVisible.id, covert.id, { covert: true, classification: "SECRET" });
  norfolkToCovert = await linkIdentities(stack, "NORFOLK", norfolkVisible.id, covert.id);
  const forum = await gql<{ kent: { recordForum: { id: string } } }>(
    stack.gatewayUrl,
    `mutation($input: RecordForumInput!) { kent { recordForum(input: $input) { id } } }`,
    { token: kentWriter(), variables: { input: { platform: "DISCORD", name: "bad input forum", kind: "FORUM", markings: markings() } } },
  );
  expect(forum.errors, forum.raw).toBeUndefined();
  kentForumId = forum.data!.kent.recordForum.id;
  // An agreement not in force until 2099: changing it shares nothing with anyone.
  const agreement = await gql<{ createAgreement: { id: string } }>(
    stack.gatewayUrl,
    `mutation { createAgreement(input: { name: "inert test agreement", members: ["CEOP", "ESSEX"], kinds: [IDENTITY], maxClassification: OFFICIAL, validFrom: "2099-01-01T00:00:00Z" }) { id } }`,
    { token: policyAdmin() },
  );
  expect(agreement.errors, agreement.raw).toBeUndefined();
  agreementId = agreement.data!.createAgreement.id;
  await indexed(stack, [covert.id, secret.id, kentVisible.id, norfolkVisible.id, essexOwn.id]);
  hiddenTexts = [covert.handle, covert.notes, secret.handle, secret.notes, covertLink.rationale];
});

afterAll(async () => {
  await stack?.stop();
});

const SAFE_CODES = new Set(["BAD_USER_INPUT", "NOT_FOUND", "CONFLICT", "FORBIDDEN", "GRAPHQL_VALIDATION_FAILED", "PURPOSE_REQUIRED", "BAD_REQUEST"]);
const RECORD_TYPENAMES = /"(Kent|Norfolk|Essex|Ceop)(OnlineIdentity|Forum|SuspectLink)"/;

/**
 * The answer is one a client may get: a stable, non-internal code, no SQL, driver text or
 * stack (input the caller sent may be quoted back), and no hidden record's content. When it
 * is not, the services' log lines for the request are attached to explain why.
 */
function expectSafe(res: GqlResult, what: string, sent?: unknown): void {
  const why = () => {
    const lines = ["gateway", "hub", "kent", "norfolk", "essex", "ceop"].flatMap((svc) =>
      stack
        .logsFor(svc, res.requestId)
        .filter((l) => Number(l.level) >= 40)
        .map((l) => `${svc}: ${JSON.stringify(l).slice(0, 600)}`),
    );
    return `${what}: HTTP ${res.status} ${res.raw.slice(0, 400)}\n${lines.join("\n")}`;
  };
  expect([200, 400, 401, 403], why()).toContain(res.status);
  for (const code of codes(res)) expect(SAFE_CODES.has(code), why()).toBe(true);
  let raw = res.raw;
  if (typeof sent === "string" && sent.length > 3) {
    for (const echo of [JSON.stringify(JSON.stringify(sent)).slice(1, -1), JSON.stringify(sent).slice(1, -1)]) raw = raw.replaceAll(echo, "<input>");
  }
  expect(raw, what).not.toMatch(INTERNALS);
  for (const t of hiddenTexts) expect(res.raw.includes(t), `${what} disclosed ${t}`).toBe(false);
}

// ---------------------------------------------------------------------------------------
// Every string argument
// ---------------------------------------------------------------------------------------

const METACHARACTERS = [
  `' OR '1'='1`,
  `'; DROP TABLE online_identity; --`,
  `" OR ""="`,
  `\\'); SELECT pg_sleep(10); --`,
  `$1) OR (1=1`,
  `%_%`,
  `*/ UNION SELECT * FROM audit_event /*`,
  `KENT:identity:' OR 'x'='x`,
  `{"$ne": null}`,
  `\u0000`,
];
const MEGABYTE = "A".repeat(1_000_000);

/** Values for the arguments not under attack, chosen so the operation is otherwise valid. */
const defaults = (): Defaults =>
  defaultsFor({ identity: kentVisible.id, otherIdentity: norfolkVisible.id, forum: kentForumId, link: kentLink.id, agreement: agreementId }, randomUUID);

/** Which subgraph a slot lives in, for calling it directly (signed as the gateway). */
function subgraphOf(slot: StringSlot): string {
  const ns = /^(Kent|Norfolk|Essex|Ceop)(Query|Mutation)$/.exec(slot.reach.path[1]?.parent ?? "");
  return ns ? ns[1]!.toLowerCase() : "hub";
}

function tokenFor_(slot: StringSlot): string {
  const top = slot.reach.path[0]!.field.name;
  if (top === "monitoringOverview") return tokenFor({ org: "CEOP", roles: ["ANALYST", "FORCE_ADMIN"], clearance: "SECRET", sub: "desk@ceop" });
  if (/Agreement$|^agreements?$/.test(top)) return policyAdmin();
  if (top === "decideAccessRequest" || top === "accessRequests") return kentWriter();
  if (top === "kent") return kentWriter();
  return essexAnalyst();
}

describe("every string argument", () => {
  const schema = apiSchema();
  // Forces share one template: KENT's namespace stands for all of them.
  const slots = stringSlots(schema).filter((s) => !/^(Norfolk|Essex|Ceop)(Query|Mutation)$/.test(s.reach.path[1]?.parent ?? ""));

  it("finds the string arguments to attack", () => {
    const keys = slots.map((s) => s.key);
    expect(keys.length).toBeGreaterThan(40);
    for (const k of [
      "Query.search(selector)",
      "KentMutation.recordOnlineIdentity(input).handle",
      "KentQuery.auditTrail(sub)",
      "Mutation.requestAccess(purpose)",
    ]) {
      expect(keys).toContain(k);
    }
  });

  it.each(slots.map((s) => [s.key, s] as const))("treats SQL metacharacters in %s as data", async (key, slot) => {
    const { query } = operationFor(slot, defaults());
    const isWrite = slot.reach.operation === "mutation";
    const before = await rowCounts(stack, { audit: false });
    let succeeded = 0;
    for (const payload of METACHARACTERS) {
      const started = Date.now();
      const res = await gql(stack.gatewayUrl, query, { token: tokenFor_(slot), variables: { v: payload } });
      // Had the text reached SQL as code, pg_sleep(10) would hold the answer for at least its ten seconds.
      if (payload.includes("pg_sleep(10)")) expect(Date.now() - started, `${key}: pg_sleep ran`).toBeLessThan(10_000);
      expectSafe(res, `${key} = ${JSON.stringify(payload)}`, payload);
      if (!isWrite) expect(res.raw, `${key} = ${JSON.stringify(payload)} returned records`).not.toMatch(RECORD_TYPENAMES);
      if (isWrite && !res.errors) succeeded++;
    }
    const after = await rowCounts(stack, { audit: false });
    if (!isWrite || succeeded === 0) {
      // Read-side alerts and access requests are legitimate effects of a search or request; nothing else may change.
      const changed = Object.keys(after).filter((t) => after[t] !== before[t] && !/deconfliction_alert|sighting_inbox/.test(t));
      expect(changed, `${key}: tables written`).toEqual([]);
    } else {
      // A write that succeeded stored the metacharacters as text: every table still exists and grew by at most one row a write.
      for (const t of Object.keys(before)) {
        expect(after[t], `${key}: ${t} dropped`).toBeDefined();
        expect(after[t]! - before[t]!, `${key}: ${t}`).toBeLessThanOrEqual(succeeded * 2);
      }
    }
  });

  it.each(slots.map((s) => [s.key, s] as const))("refuses a 1 MB string in %s, at the gateway and at its subgraph, and writes nothing", async (key, slot) => {
    const { query } = operationFor(slot, defaults());
    await expectNothingWritten(stack, async () => {
      const viaGateway = await gql(stack.gatewayUrl, query, { token: tokenFor_(slot), variables: { v: MEGABYTE } });
      expect(viaGateway.status, key).toBe(413);
      const subgraph = subgraphOf(slot);
      const url = subgraph === "hub" ? stack.hubUrl : stack.forceUrls[subgraph.toUpperCase()]!;
      // The subgraph's own checks, for a call the gateway would have let through.
      const sub = slot.reach.path[0]!.field.name === "kent" || subgraph === "hub" ? query : null;
      if (sub) {
        const direct = await gql(url, sub, { token: tokenFor_(slot), variables: { v: MEGABYTE }, asGateway: subgraph });
        expectSafe(direct, `${key} (1 MB, direct)`, MEGABYTE);
        if (slot.reach.operation === "mutation") expect(codes(direct).length, `${key}: a 1 MB value was accepted`).toBeGreaterThan(0);
      }
    });
  });

  it("stores metacharacters literally and reads them back unchanged", async () => {
    const weird = `O'Brien"; DROP TABLE online_identity; -- %_\\ ${randomUUID().slice(0, 6)}`;
    const res = await gql<{ kent: { recordOnlineIdentity: { id: string; handle: string; notes: string; displayName: string } } }>(
      stack.gatewayUrl,
      `mutation($input: RecordOnlineIdentityInput!) { kent { recordOnlineIdentity(input: $input) { id handle notes displayName } } }`,
      { token: kentWriter(), variables: { input: identityInput({ handle: weird, notes: weird, displayName: weird }) } },
    );
    expect(res.errors, res.raw).toBeUndefined();
    expect(res.data!.kent.recordOnlineIdentity).toMatchObject({ handle: weird, notes: weird, displayName: weird });
    const rows = await sql<{ handle: string }>(stack.databases.KENT!.ownerUrl, "SELECT handle FROM online_identity WHERE id = $1", [
      res.data!.kent.recordOnlineIdentity.id.split(":")[2],
    ]);
    expect(rows).toEqual([{ handle: weird }]);
  });
});

// ---------------------------------------------------------------------------------------
// Enums, custom scalars, URLs and handles
// ---------------------------------------------------------------------------------------

describe("values off the allowlist", () => {
  const schema = apiSchema();
  const record = (input: Record<string, unknown>) =>
    gql(stack.gatewayUrl, `mutation($input: RecordOnlineIdentityInput!) { kent { recordOnlineIdentity(input: $input) { id } } }`, {
      token: kentWriter(),
      variables: { input },
    });

  const kentOrHub = (slot: StringSlot) => !slot.reach.path.some((p) => /^(norfolk|essex|ceop)$/.test(p.field.name));
  /** One slot per type and per subgraph that parses it. */
  const onePer = (list: StringSlot[]) => {
    const seen = new Set<string>();
    return list.filter((slot) => {
      const k = `${slot.scalar}|${subgraphOf(slot)}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  };
  const asLiteral = (query: string, value: string) => query.replace(/^(query|mutation)\(\$v: [^)]*\) /, "$1 ").replace(/\$v\b/, value);

  it("rejects, for every enum of the API, a value it does not list, as a variable and as a literal", async () => {
    const slots = onePer(slotsOf(schema, isEnumType).filter(kentOrHub));
    expect(new Set(slots.map((s) => s.scalar)).size).toBeGreaterThan(8);
    await expectNothingWritten(stack, async () => {
      for (const slot of slots) {
        const { query } = operationFor(slot, defaults());
        for (const bad of ["NOT_A_VALUE", "snapchat", "' OR 1=1 --", "", 1, true]) {
          const res = await gql(stack.gatewayUrl, query, { token: tokenFor_(slot), variables: { v: bad } });
          expect(res.status, `${slot.key} = ${JSON.stringify(bad)}: ${res.raw.slice(0, 300)}`).toBe(400);
          expect(codes(res)).toEqual(["BAD_USER_INPUT"]);
          expectSafe(res, `${slot.key} = ${JSON.stringify(bad)}`);
        }
        const literal = await gql(stack.gatewayUrl, asLiteral(query, "NOT_A_VALUE"), { token: tokenFor_(slot) });
        expect(codes(literal), `${slot.key}: ${literal.raw.slice(0, 300)}`).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
        expectSafe(literal, slot.key);
      }
    });
  });

  it("rejects, for every custom scalar, a value of the wrong shape, in every subgraph that parses it", async () => {
    const builtIn = ["String", "ID", "Int", "Float", "Boolean"];
    const slots = onePer(slotsOf(schema, (t) => isScalarType(t) && !builtIn.includes(t.name)).filter(kentOrHub));
    expect(slots.map((s) => s.scalar)).toContain("DateTimeISO");
    expect(new Set(slots.map(subgraphOf)).size).toBeGreaterThan(1);
    await expectNothingWritten(stack, async () => {
      for (const slot of slots) {
        const { query } = operationFor(slot, defaults());
        for (const bad of ["yesterday", "2024-13-45T25:61:00Z", "' OR 1=1 --", "9".repeat(400), { $gt: "" }, [1, 2], true]) {
          const res = await gql(stack.gatewayUrl, query, { token: tokenFor_(slot), variables: { v: bad } });
          expect(codes(res), `${slot.key} = ${JSON.stringify(bad)}: ${res.raw.slice(0, 300)}`).toEqual(["BAD_USER_INPUT"]);
          expect(res.raw).not.toMatch(RECORD_TYPENAMES);
          expectSafe(res, `${slot.key} = ${JSON.stringify(bad)}`);
        }
      }
    });
  });

  it("rejects built-in scalars of the wrong type (Int overflow, Boolean as text, ID as an object)", async () => {
    await expectNothingWritten(stack, async () => {
      const asks: [string, Record<string, unknown>][] = [
        [`query($n: Int!) { kent { identities(first: $n) { nodes { id } } } }`, { n: 2 ** 31 }],
        [`query($n: Int!) { kent { identities(first: $n) { nodes { id } } } }`, { n: "10" }],
        [`query($n: Int!) { kent { identities(first: $n) { nodes { id } } } }`, { n: 1.5 }],
        [`query($id: ID!) { kent { identity(id: $id) { handle } } }`, { id: { $ne: null } }],
        [`query($id: ID!) { kent { identity(id: $id) { handle } } }`, { id: [covert.id] }],
      ];
      for (const [query, variables] of asks) {
        const res = await gql(stack.gatewayUrl, query, { token: kentAnalyst(), variables });
        expect(res.status, JSON.stringify(variables)).toBe(400);
        expect(codes(res)).toEqual(["BAD_USER_INPUT"]);
        expectSafe(res, JSON.stringify(variables));
      }
      const covertAsBoolean = await record({ ...identityInput(), markings: { ...markings(), covert: "false" } });
      expect(codes(covertAsBoolean)).toEqual(["BAD_USER_INPUT"]);
    });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["a javascript: profile URL", { profileUrl: "javascript:alert(1)" }, "input.profileUrl"],
    ["a data: profile URL", { profileUrl: "data:text/html,<script>alert(1)</script>" }, "input.profileUrl"],
    ["a file: profile URL", { profileUrl: "file:///etc/passwd" }, "input.profileUrl"],
    ["a profile URL of 3000 characters", { profileUrl: `https://x.example/${"a".repeat(3000)}` }, "input.profileUrl"],
    ["a handle of 201 characters", { handle: "h".repeat(201) }, "input.handle"],
    ["a blank handle", { handle: "   " }, "input.handle"],
    ["a handle with no letters", { handle: "_.-_.-" }, "input.handle"],
    ["a display name of 201 characters", { displayName: "d".repeat(201) }, "input.displayName"],
    ["notes of 10001 characters", { notes: "n".repeat(10_001) }, "input.notes"],
    ["an OTHER platform without a name", { platform: "OTHER", platformOther: null }, "input.platformOther"],
  ])("refuses %s with BAD_USER_INPUT naming the field, and writes nothing", async (_name, over, field) => {
    const res = await expectNothingWritten(stack, () => record(identityInput(over)), { audit: true });
    expect(codes(res)).toEqual(["BAD_USER_INPUT"]);
    expect(res.errors![0]!.extensions!.field).toBe(field);
    expectSafe(res, field);
  });

  it.each<[string, Record<string, unknown>]>([
    ["a javascript: forum URL", { url: "javascript:alert(1)" }],
    ["an ftp: forum URL", { url: "ftp://files.example/x" }],
    ["a forum URL of 3000 characters", { url: `https://x.example/${"a".repeat(3000)}` }],
    ["a forum name of 301 characters", { name: "f".repeat(301) }],
  ])("refuses %s and writes nothing", async (_name, over) => {
    const res = await expectNothingWritten(
      stack,
      () =>
        gql(stack.gatewayUrl, `mutation($input: RecordForumInput!) { kent { recordForum(input: $input) { id } } }`, {
          token: kentWriter(),
          variables: { input: { platform: "DISCORD", name: "a forum", kind: "FORUM", markings: markings(), ...over } },
        }),
      { audit: true },
    );
    expect(codes(res)).toEqual(["BAD_USER_INPUT"]);
    expectSafe(res, _name);
  });
});

// ---------------------------------------------------------------------------------------
// A thrown database error
// ---------------------------------------------------------------------------------------

describe("a thrown database error", () => {
  const SENTINEL = "SELECT secret_column FROM hidden_table WHERE token = 'LEAKED-SQL-DETAIL'";

  beforeAll(async () => {
    await sql(
      stack.databases.KENT!.ownerUrl,
      `CREATE FUNCTION security_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '%', ${"$q$" + SENTINEL + "$q$"}; END $$`,
    );
    await sql(
      stack.databases.KENT!.ownerUrl,
      "CREATE TRIGGER security_test_fail BEFORE INSERT ON online_identity FOR EACH ROW EXECUTE FUNCTION security_test_fail()",
    );
  });
  afterAll(async () => {
    await sql(stack.databases.KENT!.ownerUrl, "DROP TRIGGER IF EXISTS security_test_fail ON online_identity");
    await sql(stack.databases.KENT!.ownerUrl, "DROP FUNCTION IF EXISTS security_test_fail()");
  });

  it("answers INTERNAL with no SQL, driver text or stack, rolls everything back, and keeps the cause in the log", async () => {
    const handle = `dberror_${randomUUID().slice(0, 8)}`;
    const res = await expectNothingWritten(
      stack,
      () => gql(stack.gatewayUrl, RECORD_IDENTITY("kent"), { token: kentWriter(), variables: { input: identityInput({ handle }) } }),
      {
        audit: true,
      },
    );
    expect(codes(res)).toEqual(["INTERNAL"]);
    expect(res.errors!.map((e) => e.message)).toEqual(["Internal error"]);
    expect(res.data?.kent ?? null).toBeNull();
    expect(res.raw).not.toMatch(INTERNALS);
    for (const leak of ["LEAKED-SQL-DETAIL", "hidden_table", "secret_column", "online_identity", "trigger", "plpgsql", "QueryFailedError", ".ts:"])
      expect(res.raw).not.toContain(leak);
    expect(JSON.stringify(res.errors![0]!.extensions)).toBe(JSON.stringify({ code: "INTERNAL" }));
    const logged = stack
      .logsFor("kent", res.requestId)
      .map((l) => JSON.stringify(l))
      .join("\n");
    expect(logged).toContain("LEAKED-SQL-DETAIL");
  });
});

// ---------------------------------------------------------------------------------------
// IDOR by id
// ---------------------------------------------------------------------------------------

describe("IDOR: ids of records the caller may not read", () => {
  const hiddenIds = () => [covert.id, secret.id];
  const readers = () =>
    [
      ["ESSEX analyst (SECRET)", essexAnalyst()],
      ["NORFOLK analyst (SECRET)", norfolkAnalyst()],
      ["KENT analyst (OFFICIAL_SENSITIVE)", kentAnalyst()],
    ] as const;

  it("gets null from the owner's root fields", async () => {
    for (const [who, token] of readers()) {
      for (const id of hiddenIds()) {
        const res = await gql(
          stack.gatewayUrl,
          `query($id: ID!) { kent { identity(id: $id) { id handle notes displayName } link(id: $id) { id } forum(id: $id) { id } } }`,
          {
            token,
            variables: { id },
          },
        );
        expect(res.data, who).toEqual({ kent: { identity: null, link: null, forum: null } });
        expectSafe(res, who);
      }
      const link = await gql(stack.gatewayUrl, `query($id: ID!) { kent { link(id: $id) { id rationale } } }`, { token, variables: { id: covertLink.id } });
      expect(link.data, who).toEqual({ kent: { link: null } });
      expectSafe(link, who);
    }
  });

  it("gets nothing through the hub's routing by id", async () => {
    for (const [who, token] of readers()) {
      for (const id of hiddenIds()) {
        const res = await gql(stack.gatewayUrl, `query($id: ID!) { identity(id: $id) { id ... on OnlineIdentity { handle notes covert } } }`, {
          token,
          variables: { id },
        });
        expect((res.data as { identity: { handle?: unknown } | null } | null)?.identity?.handle ?? null, who).toBeNull();
        expectSafe(res, who);
      }
      const link = await gql(stack.gatewayUrl, `query($id: ID!) { suspectLink(id: $id) { id ... on SuspectLink { rationale } } }`, {
        token,
        variables: { id: covertLink.id },
      });
      expect((link.data as { suspectLink: { rationale?: unknown } | null } | null)?.suspectLink?.rationale ?? null, who).toBeNull();
      expectSafe(link, who);
    }
  });

  it("gets null for a hidden far end of a link it may read, and no hidden link in a list", async () => {
    // NORFOLK's own link points at KENT's covert record: the link is NORFOLK's, the record is not.
    const res = await gql<{ norfolk: { link: { id: string; toIdentity: { identity: unknown } } } }>(
      stack.gatewayUrl,
      `query($id: ID!) { norfolk { link(id: $id) { id toIdentity { identity { id ... on OnlineIdentity { handle notes } } } } } }`,
      { token: norfolkAnalyst(), variables: { id: norfolkToCovert.id } },
    );
    expect(res.data!.norfolk.link).toEqual({ id: norfolkToCovert.id, toIdentity: { identity: null } });
    // The reference carries no id of its own: the hidden record's id is not in the answer either.
    expect(res.raw).not.toContain(covert.id);
    expectSafe(res, "nested far end");
    for (const [who, token] of readers()) {
      const list = await gql(
        stack.gatewayUrl,
        `query($id: ID!) { kent { identity(id: $id) { id links(first: 100) { nodes { id rationale toIdentity { identity { id } } } } } } }`,
        {
          token,
          variables: { id: kentVisible.id },
        },
      );
      expect(list.raw, who).not.toContain(covertLink.id);
      expectSafe(list, who);
    }
  });

  it("cannot change, review or erase another org's record through its own namespace, or any through another's", async () => {
    await expectNothingWritten(stack, async () => {
      const ownNsForeignId = await gql(
        stack.gatewayUrl,
        `mutation($id: ID!) { essex { reclassifyRecord(id: $id, classification: OFFICIAL, reason: "mine now") { id } } }`,
        {
          token: essexAdmin(),
          variables: { id: covert.id },
        },
      );
      expect(codes(ownNsForeignId)).toEqual(["BAD_USER_INPUT"]);
      const erase = await gql(stack.gatewayUrl, `mutation($id: ID!) { essex { reviewRecord(id: $id, decision: DELETE, reason: "gone") { id } } }`, {
        token: essexAdmin(),
        variables: { id: secret.id },
      });
      expect(codes(erase)).toEqual(["BAD_USER_INPUT"]);
      const foreignNs = await gql(
        stack.gatewayUrl,
        `mutation($id: ID!) { kent { reclassifyRecord(id: $id, classification: OFFICIAL, reason: "lower it") { id } } }`,
        {
          token: essexAdmin(),
          variables: { id: secret.id },
        },
      );
      expect(codes(foreignNs)).toEqual(["FORBIDDEN"]);
      for (const res of [ownNsForeignId, erase, foreignNs]) expectSafe(res, "mutation IDOR");
    });
    const [row] = await sql<{ classification: string }>(stack.databases.KENT!.ownerUrl, "SELECT classification FROM online_identity WHERE id = $1", [
      secret.id.split(":")[2],
    ]);
    expect(row!.classification).toBe("SECRET");
  });

  it("learns nothing by linking to a hidden record's id, or by asking its owner for it", async () => {
    const linked = await gql(
      stack.gatewayUrl,
      `mutation($input: LinkIdentitiesInput!) { essex { linkIdentities(input: $input) { id toIdentity { identity { id ... on OnlineIdentity { handle notes } } } } } }`,
      { token: essexAdmin(), variables: { input: { fromId: essexOwn.id, toIdentityId: covert.id, linkType: "SAME_PERSON", markings: markings() } } },
    );
    expect((linked.data as { essex: { linkIdentities: { toIdentity: { identity: unknown } } } }).essex.linkIdentities.toIdentity.identity).toBeNull();
    expect(linked.raw).not.toContain(covert.id);
    expectSafe(linked, "link to hidden");
    // A request for a covert record is answered exactly as one for an id that names nothing.
    const ask = (id: string) =>
      gql(stack.gatewayUrl, `mutation($id: ID!) { requestAccess(recordId: $id, purpose: "op 24/1234") { id } }`, { token: essexAnalyst(), variables: { id } });
    const unknown = `KENT:identity:${randomUUID()}`;
    const a = await expectNothingWritten(stack, () => ask(covert.id));
    const b = await ask(unknown);
    expect(a.raw.replaceAll(covert.id, "ID")).toBe(b.raw.replaceAll(unknown, "ID"));
    expectSafe(a, "requestAccess covert");
  });

  it("cannot decide another org's access request", async () => {
    const req = await gql<{ requestAccess: { id: string } }>(
      stack.gatewayUrl,
      `mutation($id: ID!) { requestAccess(recordId: $id, purpose: "op 24/1234") { id } }`,
      {
        token: tokenFor({ org: "ESSEX", roles: ["ANALYST"], clearance: "OFFICIAL_SENSITIVE" }),
        variables: { id: secret.id },
      },
    );
    expect(req.errors, req.raw).toBeUndefined();
    const id = req.data!.requestAccess.id;
    const res = await expectNothingWritten(stack, () =>
      gql(stack.gatewayUrl, `mutation($id: ID!, $t: DateTimeISO) { decideAccessRequest(id: $id, decision: GRANT, expiresAt: $t) { status } }`, {
        token: tokenFor({ org: "NORFOLK", roles: ["FORCE_ADMIN"] }),
        variables: { id, t: new Date(Date.now() + 86400_000).toISOString() },
      }),
    );
    expect(codes(res)).toEqual(["NOT_FOUND"]);
    const [row] = await sql<{ status: string }>(stack.databases.HUB!.ownerUrl, "SELECT status FROM access_request WHERE id = $1", [id]);
    expect(row!.status).toBe("PENDING");
  });
});

describe("writes into another org's namespace", () => {
  const MUTATIONS: [string, string, () => Record<string, unknown>][] = [
    [
      "recordOnlineIdentity",
      `mutation($input: RecordOnlineIdentityInput!) { kent { recordOnlineIdentity(input: $input) { id } } }`,
      () => ({ input: identityInput() }),
    ],
    [
      "recordForum",
      `mutation($input: RecordForumInput!) { kent { recordForum(input: $input) { id } } }`,
      () => ({ input: { platform: "DISCORD", name: "intruder forum", kind: "FORUM", markings: markings() } }),
    ],
    [
      "linkIdentities",
      `mutation($input: LinkIdentitiesInput!) { kent { linkIdentities(input: $input) { id } } }`,
      () => ({ input: { fromId: kentVisible.id, toIdentityId: norfolkVisible.id, linkType: "ALIAS_OF", markings: markings() } }),
    ],
  ];
  const intruders = () =>
    [
      ["ESSEX officer and force admin", tokenFor({ org: "ESSEX", roles: ["OFFICER", "FORCE_ADMIN"], clearance: "SECRET", covert: true })],
      ["CEOP policy admin", policyAdmin()],
      ["NORFOLK service", tokenFor({ org: "NORFOLK", roles: ["SERVICE"], clearance: "SECRET" })],
    ] as const;

  it.each(MUTATIONS)("refuses %s into kent from another org with FORBIDDEN, writes nothing, and audits the attempt", async (_name, mutation, variables) => {
    for (const [who, token] of intruders()) {
      const res = await expectNothingWritten(stack, () => gql(stack.gatewayUrl, mutation, { token, variables: variables() }));
      expect(codes(res), who).toEqual(["FORBIDDEN"]);
      expectSafe(res, who);
      const events = await auditFor(stack.databases.KENT!.ownerUrl, res.requestId);
      expect(
        events.map((e) => e.detail.denied),
        who,
      ).toEqual([expect.stringMatching(/Only KENT principals/)]);
    }
  });
});

describe("a missing purpose", () => {
  const READS: [string, string, () => Record<string, unknown>][] = [
    ["a force list", `{ kent { identities { nodes { id handle } } } }`, () => ({})],
    ["a force lookup", `query($id: ID!) { kent { identity(id: $id) { handle } } }`, () => ({ id: kentVisible.id })],
    ["hub routing", `query($id: ID!) { identity(id: $id) { id ... on OnlineIdentity { handle } } }`, () => ({ id: kentVisible.id })],
    [
      "a nested far end",
      `query($id: ID!) { kent { link(id: $id) { toIdentity { identity { ... on OnlineIdentity { handle } } } } } }`,
      () => ({ id: kentLink.id }),
    ],
    ["a search", `query($s: String!) { search(query: $s, platform: SNAPCHAT) { hits { recordId identity { id } } } }`, () => ({ s: kentVisible.handle })],
  ];

  it.each(READS)("refuses %s without x-purpose (or with a blank one), discloses nothing and audits no read", async (_name, query, variables) => {
    for (const purpose of [null, "   "]) {
      const res = await expectNothingWritten(stack, () => gql(stack.gatewayUrl, query, { token: kentAnalyst(), purpose, variables: variables() }), {
        audit: true,
      });
      expect(codes(res)).toContain("PURPOSE_REQUIRED");
      expect(res.raw).not.toContain(kentVisible.handle);
      expect(res.raw).not.toContain(norfolkVisible.handle);
      expectSafe(res, _name);
    }
  });
});

// ---------------------------------------------------------------------------------------
// Regressions shaped like Apollo Router advisories
// ---------------------------------------------------------------------------------------

describe("GHSA-mx7m-j9xf-62hw shape: rules on interface fields are not bypassed through fragments on the implementing types", () => {
  const SHAPES: [string, string][] = [
    ["interface fragment", `query($id: ID!) { identity(id: $id) { id ... on OnlineIdentity { handle notes } } }`],
    ["concrete inline fragment", `query($id: ID!) { identity(id: $id) { id ... on KentOnlineIdentity { handle notes covert } } }`],
    ["named fragment on the concrete type", `query($id: ID!) { identity(id: $id) { id ...K } } fragment K on KentOnlineIdentity { handle notes displayName }`],
    [
      "fragment on the parent interface",
      `query($id: ID!) { identity(id: $id) { id ... on IntelligenceRecord { covert classification createdBy } ... on KentOnlineIdentity { handle } } }`,
    ],
    [
      "nested fragments",
      `query($id: ID!) { identity(id: $id) { ... on IntelligenceRecord { ... on OnlineIdentity { ... on KentOnlineIdentity { handle notes } } } } }`,
    ],
    [
      "concrete fragment under the force's namespace",
      `query($id: ID!) { kent { identity(id: $id) { ... on KentOnlineIdentity { handle notes } ... on OnlineIdentity { displayName } } } }`,
    ],
  ];

  it.each(SHAPES)("withholds a hidden record through a %s, and returns it to its owner the same way", async (_name, query) => {
    for (const [who, token] of [
      ["ESSEX", essexAnalyst()],
      ["NORFOLK", norfolkAnalyst()],
    ] as const) {
      const res = await gql(stack.gatewayUrl, query, { token, variables: { id: covert.id } });
      expectSafe(res, `${_name} as ${who}`);
    }
    const owner = await gql(stack.gatewayUrl, query, { token: kentWriter(), variables: { id: covert.id } });
    expect(owner.errors, owner.raw).toBeUndefined();
    expect(owner.raw).toContain(covert.handle);
  });

  it("filters the links of an identity alike through the interface and the concrete type", async () => {
    for (const fragment of ["OnlineIdentity", "KentOnlineIdentity"]) {
      const res = await gql(
        stack.gatewayUrl,
        `query($id: ID!) { identity(id: $id) { ... on ${fragment} { links(first: 100) { nodes { id ... on SuspectLink { rationale } } } } } }`,
        {
          token: essexAnalyst(),
          variables: { id: kentVisible.id },
        },
      );
      expect(res.raw, fragment).toContain(kentLink.id);
      expect(res.raw, fragment).not.toContain(covertLink.id);
      expectSafe(res, fragment);
    }
  });
});

describe("GHSA-m8jr-fxqx-8xx6 shape: fields the planner pulls in for another subgraph do not skip checks", () => {
  it("has no @requires in the supergraph that a check could be skipped through (review this test when adding one)", async () => {
    const { readFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { REPO_ROOT } = await import("@interforce/domain");
    const sdl = readFileSync(join(REPO_ROOT, "schema/supergraph.graphql"), "utf8");
    expect(sdl.match(/requires:\s*"[^"]*"/g) ?? []).toEqual([]);
  });

  it("decides on its own data, not on fields a representation brings with it", async () => {
    // What a planner would send for @requires, forged to look shareable: the owner must re-read and re-decide.
    const forged = {
      __typename: "KentOnlineIdentity",
      id: covert.id,
      owner: "ESSEX",
      covert: false,
      classification: "OFFICIAL",
      handling: "P",
      reviewDue: null,
      access: { level: "FULL" },
    };
    const res = await gql<{ _entities: unknown[] }>(
      stack.forceUrls.KENT!,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on KentOnlineIdentity { id handle notes covert } } }`,
      { token: essexAnalyst(), asGateway: "kent", variables: { r: [forged] } },
    );
    expect(res.errors, res.raw).toBeUndefined();
    expect(res.data!._entities).toEqual([null]);
    expectSafe(res, "forged representation");
  });

  it("decides each end of a link by its owner when the planner fetches it from another subgraph", async () => {
    // KENT's covert link is KENT's to show; its far end is resolved by the hub and then by KENT again.
    const res = await gql(
      stack.gatewayUrl,
      `query($id: ID!) { kent { identity(id: $id) { links(first: 100) { nodes { id toIdentity { identity { id ... on OnlineIdentity { handle notes } } } } } } } }`,
      {
        token: kentAnalyst(),
        variables: { id: kentVisible.id },
      },
    );
    expect(res.raw).toContain(kentLink.id);
    expectSafe(res, "far end via hub");
    const audit = await auditFor(stack.databases.KENT!.ownerUrl, res.requestId);
    expect(audit.length).toBeGreaterThan(0);
  });
});
