/**
 * Canary leak test. Owners record covert decoys, SECRET records, records under handling
 * conditions that exclude ESSEX, records past their MoPI review date, links among them and
 * to visible records, covert monitoring of forums (an undercover lead officer) and sightings —
 * every free-text field of every hidden record carries a unique `CANARY-<hex>` string, and
 * some hidden handles, emails and phones are secrets of their own. An ESSEX ANALYST
 * (OFFICIAL_SENSITIVE, no covert claim) then sends thousands of generated operations through
 * the gateway (and directly to the hub and each force subgraph, which must refuse or answer
 * nothing): hub routing, force namespaces, search (exact, fuzzy, email, phone), the hub's
 * cross-force lists, the link graph, deconfliction alerts, and invalid operations. Every raw
 * HTTP body is searched for any canary, hidden handle, hidden selector hash and hidden id,
 * and lists, pages, searches and lookups must show exactly what the rules allow.
 *
 * Reproduce a run with CANARY_SEED=<seed printed in the log>; CANARY_SCALE=0.1 for a short one.
 */
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, gql, sql, startTestStack, tokenFor, type TestStack } from "@interforce/testkit";
import { check, isRefusal, isTransient, type Searched } from "./canary/check.js";
import { families, searchKeys, type QueryCase } from "./canary/gen.js";
import { normaliseHandle } from "@interforce/domain";
import { attackerToken, CANARY_RE, cursorAt, KINDS, NS, ORGS, PREFIX, SUFFIX, seedWorld, type World } from "./canary/world.js";

/** Operations sent concurrently per fast-check run (the stack shares 2 cores). */
const BATCH = 6;
const SCALE = Number(process.env.CANARY_SCALE ?? 1);
const RUNS = Object.fromEntries(
  Object.entries({ route: 43, ns: 43, search: 53, hubViews: 38, mixed: 19, direct: 30, hub: 12, invalid: 96 }).map(([k, n]) => [
    k,
    Math.max(1, Math.round(n * SCALE)),
  ]),
) as Record<"route" | "ns" | "search" | "hubViews" | "mixed" | "direct" | "hub" | "invalid", number>;
const PLANNED = Object.values(RUNS).reduce((a, b) => a + b, 0) * BATCH;
const SEED = process.env.CANARY_SEED ? Number(process.env.CANARY_SEED) : Math.floor(Math.random() * 2 ** 31);

let stack: TestStack;
let world: World;
let sent = 0;
/** Several analysts of the attacking force, so the gateway's per-principal rate limit is not what is tested. */
const ANALYSTS = 8;
let tokens: string[];

beforeAll(async () => {
  stack = await startTestStack();
  world = await seedWorld(stack);
  tokens = Array.from({ length: ANALYSTS }, (_, i) => attackerToken(i));
  // The hub's selector index is fed through each force's outbox: wait until every identity is in.
  const identities = world.records.filter((r) => r.kind === "identity").length;
  await eventually(
    async () =>
      (await sql<{ n: number }>(stack.databases.HUB!.ownerUrl, "SELECT count(DISTINCT record_id)::int AS n FROM selector_pointer"))[0]!.n === identities,
    30_000,
    100,
  );
}, 420_000);

afterAll(async () => {
  await stack?.stop();
});

const urlOf = (c: QueryCase) => (c.target === "gw" ? stack.gatewayUrl : c.target === "hub" ? stack.hubUrl : stack.forceUrls[c.target]!);
// Subgraphs answer only the gateway: direct calls are signed as it signs them, so they still test each subgraph's own checks.
const asGateway = (c: QueryCase) => (c.target === "gw" ? undefined : c.target.toLowerCase());

const searched: Searched = { keys: new Set(), hashes: new Set() };

async function send(c: QueryCase): Promise<{ violations: string[]; raw: string; refused: boolean; transient: boolean; requestId: string }> {
  const token = tokens[sent++ % ANALYSTS]!;
  // Remember what the attacker searches exactly: the hub may echo it back later.
  for (const e of c.expects) {
    if (e.t !== "search") continue;
    const k = searchKeys(e.term, e.platform);
    if (k?.key) searched.keys.add(k.key);
    k?.selectors.forEach((x) => searched.hashes.add(x));
  }
  let res = await gql(urlOf(c), c.query, { token, variables: c.variables, purpose: c.purpose ? undefined : null, asGateway: asGateway(c) });
  for (let retry = 0; res.status === 429 && retry < 5; retry++) {
    await new Promise((r) => setTimeout(r, 2000));
    res = await gql(urlOf(c), c.query, { token, variables: c.variables, purpose: c.purpose ? undefined : null, asGateway: asGateway(c) });
  }
  return {
    violations: check(world, c, `${c.query}\n${JSON.stringify(c.variables)}`, res, searched),
    raw: res.raw,
    refused: isRefusal(c, res),
    transient: isTransient(res),
    requestId: res.requestId,
  };
}

/** Warnings and errors every service logged for one request, to explain an INTERNAL error. */
function serviceErrors(requestId: string): string {
  const lines: string[] = [];
  for (const name of stack.services.keys()) {
    for (const l of stack.logsFor(name, requestId)) if (Number(l.level) >= 40) lines.push(`[${name}] ${JSON.stringify(l).slice(0, 600)}`);
  }
  return lines.join("\n");
}

describe("canary leak: an ESSEX analyst reads nothing it may not", () => {
  it("seeds canaries that their owners can read, and that no visible text contains", async () => {
    const hidden = world.records.filter((r) => !r.visible);
    expect(hidden.length).toBeGreaterThan(30);
    for (const t of world.visibleTexts) expect(t).not.toMatch(/canary/i);
    for (const h of world.hiddenHandles) {
      for (const t of [...world.visibleTexts, ...world.hiddenHandles.filter((x) => x !== h)]) expect(t.includes(h), `${h} in ${t}`).toBe(false);
    }
    // The owner's covert-cleared officer gets every canary back: their absence below is the policy's doing.
    for (const org of ORGS) {
      const owner = tokenFor({ org, roles: ["OFFICER"], clearance: "SECRET", covert: true });
      const mine = hidden.filter((r) => r.org === org);
      const fields = {
        identity: "handle displayName notes profileUrl platformOther createdBy grading { conditions }",
        forum: "name url riskSummary createdBy grading { conditions }",
        link: "rationale createdBy grading { conditions }",
      };
      const vars = mine.map((_, i) => `$id${i}: ID!`).join(", ");
      const query = `query(${vars}) { ${mine.map((r, i) => `r${i}: ${NS[org]} { ${r.kind}(id: $id${i}) { id ${fields[r.kind]} } }`).join(" ")} }`;
      const res = await gql(stack.gatewayUrl, query, { token: owner, variables: Object.fromEntries(mine.map((r, i) => [`id${i}`, r.id])) });
      expect(res.errors, res.raw).toBeUndefined();
      for (const r of mine) {
        for (const t of r.texts) expect(res.raw, `${r.key} owner read`).toContain(JSON.stringify(t).slice(1, -1));
      }
    }
  });

  it("names in deconfliction alerts none of its own force's records it may not read", async () => {
    // Before any search: only alerts raised when the seeded records were indexed exist.
    const alerts: { id: string; trigger: string; selector: string; yourRecordId: string | null; counterpartOrg: string | null }[] = [];
    for (let offset = 0; ; offset += 100) {
      const res = await gql<{ deconflictionAlerts: typeof alerts }>(
        stack.gatewayUrl,
        `query($a: String) { deconflictionAlerts(first: 100, after: $a) { id trigger selector yourRecordId counterpartOrg } }`,
        { token: tokens[0], variables: { a: offset ? String(offset) : null } },
      );
      expect(res.errors, res.raw).toBeUndefined();
      alerts.push(...res.data!.deconflictionAlerts);
      if (res.data!.deconflictionAlerts.length < 100) break;
    }
    expect(alerts.length, "ESSEX holds handles that other forces hold too: deconfliction has something to say").toBeGreaterThan(0);
    const revealing = alerts
      .filter((a) => a.yourRecordId && !world.visibleIds.has(a.yourRecordId))
      .map((a) => {
        const r = world.byId.get(a.yourRecordId!);
        return { ...a, record: r ? `${r.key} (${r.org} ${r.kind}, ${r.why})` : "?" };
      });
    expect(revealing, `alerts naming ESSEX records the analyst may not read:\n${JSON.stringify(revealing, null, 2)}`).toEqual([]);
  });

  it("lists exactly the visible records in every force, with no next page and no hidden one counted", async () => {
    for (const org of ORGS) {
      for (const kind of KINDS) {
        const field = { identity: "identities", forum: "forums", link: "links" }[kind];
        const res = await gql<Record<string, Record<string, { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } }>>>(
          stack.gatewayUrl,
          `{ ${NS[org]} { ${field}(first: 100) { nodes { id } pageInfo { hasNextPage endCursor } } } }`,
          { token: tokens[0] },
        );
        expect(res.errors, res.raw).toBeUndefined();
        const page = res.data![NS[org]]![field]!;
        const want = world.ordered[org][kind].filter((r) => r.visible);
        expect(
          page.nodes.map((n) => world.byId.get(n.id)?.key ?? n.id),
          `${org} ${kind}`,
        ).toEqual(want.map((r) => r.key));
        expect(page.pageInfo.hasNextPage).toBe(false);
        expect(page.pageInfo.endCursor).toBe(want.length ? cursorAt(want.at(-1)!) : null);
      }
    }
  });

  it("resolves no hidden representation on any force subgraph called directly", async () => {
    for (const org of ORGS) {
      const mine = world.records.filter((r) => r.org === org);
      const reps = mine.map((r) => ({ __typename: `${PREFIX[org]}${SUFFIX[r.kind]}`, id: r.id }));
      const res = await gql<{ _entities: ({ id: string } | null)[] }>(
        stack.forceUrls[org]!,
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on IntelligenceRecord { id createdBy grading { conditions } } ... on OnlineIdentity { handle notes displayName profileUrl } ... on Forum { name url riskSummary } ... on SuspectLink { rationale } } }`,
        { token: tokens[0], variables: { r: reps }, asGateway: org.toLowerCase() },
      );
      expect(res.raw.match(CANARY_RE)).toBeNull();
      // A subgraph that answers only the gateway refuses the call outright; one that answers
      // must resolve every hidden representation to null.
      if (res.status === 403 || res.status === 401) {
        expect(res.data ?? null).toBeNull();
        expect(res.errors?.map((e) => e.extensions?.code)).toEqual([res.status === 403 ? "FORBIDDEN" : "UNAUTHENTICATED"]);
        continue;
      }
      expect(res.errors, res.raw).toBeUndefined();
      expect(res.data!._entities.map((e, i) => (e ? mine[i]!.key : null))).toEqual(mine.map((r) => (r.visible ? r.key : null)));
    }
  });

  it("answers a search for a selector only covert records hold exactly as one nobody holds, deconfliction alerts included", async () => {
    const alerts = async () =>
      (
        await gql<{
          deconflictionAlerts: { id: string; trigger: string; selector: string; counterpartOrg: string | null; advice: string; occurrences: number }[];
        }>(stack.gatewayUrl, `{ deconflictionAlerts(first: 100) { id trigger selector counterpartOrg advice occurrences yourRecordId } }`, { token: tokens[0] })
      ).data!.deconflictionAlerts;
    const search = (q: string, platform: string) =>
      gql<{ search: { hits: unknown[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }>(
        stack.gatewayUrl,
        `query($q: String!) { search(query: $q, platform: ${platform}) { hits { recordId selector access { level } } pageInfo { hasNextPage endCursor } } }`,
        { token: tokens[0], variables: { q } },
      );
    const before = new Map((await alerts()).map((a) => [a.id, a.occurrences]));
    const nobody = await search(`nobody holds ${randomUUID().slice(0, 8)}`, "SNAPCHAT");
    expect(nobody.errors, nobody.raw).toBeUndefined();
    // Identities whose handle no record but a covert one has.
    const key = (r: { handle?: string }) => normaliseHandle(r.handle!);
    const covertOnly = world.records.filter(
      (r) => r.kind === "identity" && r.why === "covert" && !world.records.some((o) => o.kind === "identity" && o.why !== "covert" && key(o) === key(r)),
    );
    expect(covertOnly.length).toBeGreaterThan(0);
    for (const r of covertOnly) {
      searched.keys.add(normaliseHandle(r.handle!));
      const res = await search(r.handle!, r.platform!);
      expect(res.errors, res.raw).toBeUndefined();
      expect(res.data, r.key).toEqual(nobody.data);
    }
    // The searching force is told nothing new about records it may not know of.
    const fresh = (await alerts()).filter((a) => (before.get(a.id) ?? 0) !== a.occurrences);
    const revealing = fresh.filter((a) => covertOnly.some((r) => a.selector.startsWith(`${normaliseHandle(r.handle!)}@`)));
    expect(revealing, `alerts the attacker's org got for its searches of covert-only selectors:\n${JSON.stringify(revealing, null, 2)}`).toEqual([]);
  });

  it("answers a fuzzy search with POINTER hits that do not disclose the hidden handle they matched", async () => {
    // A SECRET record's handle, typed almost right: the hit may say that KENT holds something
    // similar (POINTER), but not what — the normalised handle is the record's content.
    const k1 = world.records.find((r) => r.key === "k1")!;
    const full = normaliseHandle(k1.handle!);
    const typed = full.slice(0, full.length - 3);
    const res = await gql<{ search: { hits: { recordId: string; selector: string; match: string; access: { level: string } }[] } }>(
      stack.gatewayUrl,
      `query($q: String!) { search(query: $q, platform: SNAPCHAT, fuzzy: true) { hits { recordId selector match score access { level } identity { id } } } }`,
      { token: tokens[0], variables: { q: typed } },
    );
    expect(res.errors, res.raw).toBeUndefined();
    const hit = res.data!.search.hits.find((h) => h.recordId === k1.id);
    expect(hit?.access.level, "the SECRET record is a POINTER hit").toBe("POINTER");
    expect(res.raw, `fuzzy search ${JSON.stringify(typed)} disclosed ${full}`).not.toContain(full);
  });

  it("shows the attacker exactly the monitoring and sightings it may know of", async () => {
    const key = (k: string) => world.records.find((r) => r.key === k)!.id;
    const keysOf = (ids: string[]) => ids.map((id) => world.owned.find((o) => o.id === id)?.key ?? id).sort();
    const res = await gql<{
      forum: { monitoring: { nodes: { id: string }[] } } | null;
      identity: { sightings: { nodes: { id: string }[] } | null } | null;
      essex: { sightings: { nodes: { id: string }[] }; monitoringAssignments: { nodes: { id: string }[] } };
    }>(
      stack.gatewayUrl,
      `query($f: ID!, $i: ID!) {
        forum(id: $f) { id monitoring(first: 50) { nodes { id ... on MonitoringAssignment { org covert leadOfficer { name } } } } }
        identity(id: $i) { id sightings(first: 50) { nodes { id note } } }
        essex { sightings(first: 50) { nodes { id note } } monitoringAssignments(first: 50) { nodes { id leadOfficer { name } } } }
      }`,
      { token: tokens[0], variables: { f: key("fN1"), i: key("d2") } },
    );
    expect(res.errors, res.raw).toBeUndefined();
    expect(res.raw.match(CANARY_RE)).toBeNull();
    // KENT's overt monitoring of a NORFOLK forum, not its covert one.
    expect(keysOf(res.data!.forum!.monitoring.nodes.map((n) => n.id))).toEqual(["M2"]);
    // CEOP's OFFICIAL sighting of ESSEX's identity, not its SECRET one.
    expect(keysOf(res.data!.identity!.sightings!.nodes.map((n) => n.id))).toEqual(["S2"]);
    expect(keysOf(res.data!.essex.sightings.nodes.map((n) => n.id))).toEqual(["S6"]);
    // ESSEX's own covert deployment needs the covert claim.
    expect(res.data!.essex.monitoringAssignments.nodes).toEqual([]);
  });

  it(`leaks no canary, hidden handle or hidden id in ${PLANNED} generated queries (fast-check)`, { timeout: 900_000 }, async () => {
    const fams = families(world);
    const failures = new Map<string, { count: number; example: string }>();
    const perFamily = new Map<string, { sent: number; refused: number; transient: number }>();
    const transients: string[] = [];
    let validSent = 0;
    const started = Date.now();
    for (const [name, runs] of Object.entries(RUNS) as [keyof typeof RUNS, number][]) {
      await fc.assert(
        fc.asyncProperty(fc.array(fams[name], { minLength: BATCH, maxLength: BATCH }), async (cases) => {
          const results = await Promise.all(cases.map(send));
          results.forEach(({ violations, raw, refused, transient, requestId }, i) => {
            const c = cases[i]!;
            const tally = perFamily.get(c.family) ?? { sent: 0, refused: 0, transient: 0 };
            tally.sent++;
            if (refused) tally.refused++;
            if (c.valid) validSent++;
            if (transient) {
              tally.transient++;
              if (transients.length < 3) transients.push(`${c.query}\nresponse: ${raw.slice(0, 500)}\nservice log:\n${serviceErrors(requestId)}`);
            }
            perFamily.set(c.family, tally);
            for (const v of violations) {
              // Group by the shape of the violation, without ids and paths.
              const kind = `${c.family.replace(/^direct-.*/, "direct")}: ${v
                .replace(/data[.\w[\]]*/g, "data…")
                .replace(/\br\d+(\.s\d+)?:/g, "")
                .replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, "<uuid>")
                .replace(/(email|phone):[0-9a-f]{64}/g, "$1:<hash>")
                .replace(/holds \S+@\w+/g, "holds <selector>")
                .replace(/: \{.*$/, "")}`;
              const seen = failures.get(kind);
              if (seen) seen.count++;
              else
                failures.set(kind, {
                  count: 1,
                  example: `${c.target} ${c.purpose ? "" : "(no x-purpose) "}${c.query}\nvariables: ${JSON.stringify(c.variables)}\nviolation: ${v}\nresponse: ${raw.slice(0, 3000)}${/INTERNAL|HTTP 5/.test(v) ? `\nservice log:\n${serviceErrors(requestId)}` : ""}`,
                });
            }
          });
        }),
        { numRuns: runs, seed: SEED + name.length, endOnFailure: true },
      );
      console.log(`canary leak: ${name} done, ${sent} queries so far, ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `canary leak: ${sent} queries as ESSEX ANALYST in ${seconds} s (seed ${SEED}); ${failures.size === 0 ? "no leak" : `${failures.size} kinds of violation`}\n` +
        [...perFamily.entries()]
          .sort()
          .map(
            ([f, n]) =>
              `  ${f}: ${n.sent}${n.refused ? ` (${n.refused} refused outright: the subgraph answers only the gateway)` : ""}${n.transient ? ` (${n.transient} failed with INTERNAL/TIMEOUT)` : ""}`,
          )
          .join("\n"),
    );
    for (const [kind, { count, example }] of failures) console.log(`\nVIOLATION x${count}: ${kind}\n${example}`);
    const failed = [...perFamily.values()].reduce((a, n) => a + n.transient, 0);
    for (const t of transients) console.log(`\nSERVER FAILURE (not a leak; ${failed} in all):\n${t}`);
    expect(sent).toBeGreaterThanOrEqual(PLANNED);
    // Server failures disclose nothing, but too many would leave the expectations unchecked.
    expect(failed, "operations that failed with INTERNAL or TIMEOUT").toBeLessThanOrEqual(Math.ceil(validSent * 0.1));
    expect([...failures.keys()]).toEqual([]);
  });
});
