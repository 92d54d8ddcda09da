/**
 * Shared by the bad-input suite: seeding records that must stay hidden, and the two checks
 * every attack ends with — nothing was written, nothing was disclosed.
 */
import { expect } from "vitest";
import { eventually, gql, identityInput, markings, RECORD_IDENTITY, sql, tokenFor, type GqlResult, type TestStack } from "@interforce/testkit";

export const ORGS = ["KENT", "NORFOLK", "ESSEX", "CEOP"] as const;
export type Org = (typeof ORGS)[number];

export type Counts = Record<string, number>;

/**
 * Row counts of every table in every database of the stack (records, outbox, selector
 * index, agreements, requests, alerts, audit), found from the catalogue so a table added
 * later is watched too.
 */
export async function rowCounts(stack: TestStack, opts: { audit?: boolean } = {}): Promise<Counts> {
  const out: Counts = {};
  for (const db of [...ORGS, "HUB"] as const) {
    const url = stack.databases[db]!.ownerUrl;
    const tables = (await sql<{ t: string }>(url, "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"))
      .map((r) => r.t)
      // Shared nonces and rate-limit counters change with every signed call: operational state, not records.
      .filter((t) => !["schema_migrations", "shared_nonce", "shared_rate_limit"].includes(t) && !(t === "audit_event" && opts.audit === false));
    const [row] = await sql<Record<string, string>>(url, `SELECT ${tables.map((t, i) => `(SELECT count(*) FROM "${t}")::text AS c${i}`).join(", ")}`);
    tables.forEach((t, i) => (out[`${db}.${t}`] = Number(row![`c${i}`])));
  }
  return out;
}

/**
 * Runs `attack` and asserts no record, outbox event, index entry or agreement changed
 * anywhere. Audit tables are left out unless `audit` is true: a refused attempt is itself
 * audited, which is a write we want.
 */
export async function expectNothingWritten<T>(stack: TestStack, attack: () => Promise<T>, opts: { audit?: boolean } = {}): Promise<T> {
  // Earlier steps' outbox events may still be on their way to the hub: count once they are there.
  await outboxDrained(stack);
  const before = await rowCounts(stack, { audit: opts.audit ?? false });
  const result = await attack();
  // Anything the attack wrote reaches the hub through the outbox: wait until it would have.
  await outboxDrained(stack);
  expect(await rowCounts(stack, { audit: opts.audit ?? false })).toEqual(before);
  return result;
}

/** Waits until every force's outbox has handed every event to the hub. */
export async function outboxDrained(stack: TestStack): Promise<void> {
  for (const org of ORGS) {
    await eventually(async () => {
      const rows = await sql<{ n: string }>(stack.databases[org]!.ownerUrl, "SELECT count(*)::text AS n FROM outbox WHERE published_at IS NULL");
      return rows[0]!.n === "0";
    }, 20_000);
  }
}

/** Text that must never appear in an answer: SQL, driver and stack-trace shapes. */
export const INTERNALS =
  /syntax error at or near|QueryFailedError|\bSELECT\b.*\bFROM\b|\bINSERT INTO\b|\bUPDATE\b.*\bSET\b|relation "|column "|violates|node_modules|\bat .*\.(ts|js):\d+|stacktrace|postgres(ql)?:\/\//i;

export function expectNoDisclosure(res: GqlResult, secrets: string[]): void {
  expect(res.raw).not.toMatch(INTERNALS);
  for (const s of secrets) expect(res.raw, `disclosed ${s}`).not.toContain(s);
}

export const codes = (r: GqlResult) => (r.errors ?? []).map((e) => String(e.extensions?.code));

/** Audit events of one database carrying one request id. */
export async function auditFor(url: string, requestId: string) {
  return sql<{ operation: string; action: string; sub: string | null; org: string | null; detail: Record<string, unknown> }>(
    url,
    "SELECT operation, action, sub, org, detail FROM audit_event WHERE request_id = $1 ORDER BY seq",
    [requestId],
  );
}

export interface Seeded {
  id: string;
  handle: string;
  notes: string;
}

const tag = () => Math.random().toString(36).slice(2, 10);

/** Records an identity through the gateway as the org's covert-cleared officer. */
export async function recordIdentity(stack: TestStack, org: Org, mark: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Promise<Seeded> {
  const handle = `sec_${org.toLowerCase()}_${tag()}`;
  const notes = `NOTES-${tag()}-${tag()}`;
  const res = await gql<Record<string, { recordOnlineIdentity: { id: string } }>>(stack.gatewayUrl, RECORD_IDENTITY(org.toLowerCase()), {
    token: tokenFor({ org, roles: ["OFFICER"], clearance: "SECRET", covert: true }),
    variables: { input: identityInput({ handle, notes, displayName: `DN-${tag()}`, markings: markings(mark), ...extra }) },
  });
  expect(res.errors, res.raw).toBeUndefined();
  return { id: res.data![org.toLowerCase()]!.recordOnlineIdentity.id, handle, notes };
}

export async function linkIdentities(
  stack: TestStack,
  org: Org,
  fromId: string,
  toIdentityId: string,
  mark: Record<string, unknown> = {},
): Promise<{ id: string; rationale: string }> {
  const rationale = `RATIONALE-${tag()}`;
  const res = await gql<Record<string, { linkIdentities: { id: string } }>>(
    stack.gatewayUrl,
    `mutation($input: LinkIdentitiesInput!) { ${org.toLowerCase()} { linkIdentities(input: $input) { id } } }`,
    {
      token: tokenFor({ org, roles: ["OFFICER"], clearance: "SECRET", covert: true }),
      variables: { input: { fromId, toIdentityId, linkType: "SAME_PERSON", rationale, markings: markings(mark) } },
    },
  );
  expect(res.errors, res.raw).toBeUndefined();
  return { id: res.data![org.toLowerCase()]!.linkIdentities.id, rationale };
}

/** Waits until the hub's selector index holds a pointer for each id. */
export async function indexed(stack: TestStack, ids: string[]): Promise<void> {
  await eventually(async () => {
    const rows = await sql<{ n: string }>(stack.databases.HUB!.ownerUrl, "SELECT count(*)::text AS n FROM selector_pointer WHERE record_id = ANY($1)", [ids]);
    return Number(rows[0]!.n) === ids.length;
  }, 20_000);
}
