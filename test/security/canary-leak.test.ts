/**
 * Canary leak test. Owners record covert decoys, SECRET records, records under handling
 * conditions that exclude ESSEX, records past their MoPI review date, and links among them
 * and to visible records — every free-text field of every hidden record carries a unique
 * `CANARY-<hex>` string. An ESSEX ANALYST (OFFICIAL_SENSITIVE, no covert claim) then sends
 * thousands of generated operations through the gateway, to the hub and directly to each
 * force subgraph, and every raw HTTP body is searched for any canary, any hidden handle and
 * any hidden id, while lists, searches and lookups must show exactly what the rules allow.
 *
 * Reproduce a run with CANARY_SEED=<seed printed in the log>.
 */
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, gql, sql, startTestStack, tokenFor, type TestStack } from "@interforce/testkit";
import { check, isRefusal } from "./canary/check.js";
import { families, type QueryCase } from "./canary/gen.js";
import { attackerToken, CANARY_RE, cursorAt, KINDS, NS, ORGS, PREFIX, SUFFIX, seedWorld, type World } from "./canary/world.js";

/** Operations sent concurrently per fast-check run (the stack shares 2 cores). */
const BATCH = 4;
const SCALE = Number(process.env.CANARY_SCALE ?? 1);
const RUNS = Object.fromEntries(
  Object.entries({ route: 90, ns: 100, search: 90, mixed: 45, direct: 80, hub: 25, invalid: 130 }).map(([k, n]) => [k, Math.max(1, Math.round(n * SCALE))]),
) as Record<"route" | "ns" | "search" | "mixed" | "direct" | "hub" | "invalid", number>;
const PLANNED = Object.values(RUNS).reduce((a, b) => a + b, 0) * BATCH;
const SEED = process.env.CANARY_SEED ? Number(process.env.CANARY_SEED) : Math.floor(Math.random() * 2 ** 31);

let stack: TestStack;
let world: World;
let token: string;
let sent = 0;

beforeAll(async () => {
  stack = await startTestStack();
  world = await seedWorld(stack);
  token = attackerToken();
  // The hub's selector index is fed through each force's outbox: wait until every identity is in.
  const identities = world.records.filter((r) => r.kind === "identity").length;
  await eventually(
    async () => (await sql<{ n: number }>(stack.databases.HUB!.ownerUrl, "SELECT count(*)::int AS n FROM selector_pointer"))[0]!.n === identities,
    30_000,
    100,
  );
}, 240_000);

afterAll(async () => {
  await stack?.stop();
});

const urlOf = (c: QueryCase) => (c.target === "gw" ? stack.gatewayUrl : c.target === "hub" ? stack.hubUrl : stack.forceUrls[c.target]!);

async function send(c: QueryCase): Promise<{ violations: string[]; raw: string; refused: boolean }> {
  const res = await gql(urlOf(c), c.query, { token, variables: c.variables, purpose: c.purpose ? undefined : null });
  sent++;
  return { violations: check(world, c, `${c.query}\n${JSON.stringify(c.variables)}`, res), raw: res.raw, refused: isRefusal(c, res) };
}

describe("canary leak: an ESSEX analyst reads nothing it may not", () => {
  it("seeds canaries that their owners can read, and that no visible text contains", async () => {
    const hidden = world.records.filter((r) => !r.visible);
    expect(hidden.length).toBeGreaterThan(30);
    for (const t of world.visibleTexts) expect(t).not.toMatch(/CANARY/);
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

  it("lists exactly the visible records in every force, with no next page and no hidden one counted", async () => {
    for (const org of ORGS) {
      for (const kind of KINDS) {
        const field = { identity: "identities", forum: "forums", link: "links" }[kind];
        const res = await gql<Record<string, Record<string, { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } }>>>(
          stack.gatewayUrl,
          `{ ${NS[org]} { ${field}(first: 100) { nodes { id } pageInfo { hasNextPage endCursor } } } }`,
          { token },
        );
        expect(res.errors, res.raw).toBeUndefined();
        const page = res.data![NS[org]]![field]!;
        const want = world.ordered[org][kind].filter((r) => r.visible);
        expect(page.nodes.map((n) => world.byId.get(n.id)?.key ?? n.id), `${org} ${kind}`).toEqual(want.map((r) => r.key));
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
        { token, variables: { r: reps } },
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

  it("answers a hidden record id used as a search cursor exactly as an id that names nothing", async () => {
    const g = world.groups.find((x) => x.name === "A")!;
    const ask = (after: string) =>
      gql(stack.gatewayUrl, `query($s: String!, $a: String) { search(selector: $s, platform: SNAPCHAT, after: $a) { hits { recordId } } }`, {
        token,
        variables: { s: g.words.join(" "), a: after },
      });
    const unknown = await ask(`KENT:identity:${randomUUID()}`);
    expect(unknown.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    for (const r of world.records.filter((x) => x.kind === "identity" && x.searchLevel === "NONE")) {
      const res = await ask(r.id);
      expect(res.raw.replaceAll(r.id, "ID"), r.key).toBe(unknown.raw.replaceAll(/KENT:identity:[0-9a-f-]{36}/g, "ID"));
    }
  });

  it(`leaks no canary, hidden handle or hidden id in ${PLANNED} generated queries (fast-check)`, { timeout: 300_000 }, async () => {
    const fams = families(world);
    const failures = new Map<string, { count: number; example: string }>();
    const perFamily = new Map<string, { sent: number; refused: number }>();
    const started = Date.now();
    for (const [name, runs] of Object.entries(RUNS) as [keyof typeof RUNS, number][]) {
      await fc.assert(
        fc.asyncProperty(fc.array(fams[name], { minLength: BATCH, maxLength: BATCH }), async (cases) => {
          const results = await Promise.all(cases.map(send));
          results.forEach(({ violations, raw, refused }, i) => {
            const c = cases[i]!;
            const tally = perFamily.get(c.family) ?? { sent: 0, refused: 0 };
            tally.sent++;
            if (refused) tally.refused++;
            perFamily.set(c.family, tally);
            for (const v of violations) {
              // Group by the shape of the violation, without ids and paths.
              const kind = `${c.family}: ${v.replace(/data[.\w[\]]*/g, "data…").replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, "<uuid>")}`;
              const seen = failures.get(kind);
              if (seen) seen.count++;
              else
                failures.set(kind, {
                  count: 1,
                  example: `${c.target} ${c.purpose ? "" : "(no x-purpose) "}${c.query}\nvariables: ${JSON.stringify(c.variables)}\nviolation: ${v}\nresponse: ${raw.slice(0, 3000)}`,
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
          .map(([f, n]) => `  ${f}: ${n.sent}${n.refused ? ` (${n.refused} refused outright: the subgraph answers only the gateway)` : ""}`)
          .join("\n"),
    );
    for (const [kind, { count, example }] of failures) console.log(`\nVIOLATION x${count}: ${kind}\n${example}`);
    expect(sent).toBeGreaterThanOrEqual(PLANNED);
    expect([...failures.keys()]).toEqual([]);
  });
});
