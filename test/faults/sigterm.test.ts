/**
 * SIGTERM to a force under 8 concurrent writers, with real processes and real PostgreSQL: every request the force had
 * received finishes, the process logs that and exits 0, and no write is lost or half-reported. Requests that reach
 * the force after it stopped accepting are answered UNAVAILABLE by the gateway and write nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gql, identityInput, RECORD_IDENTITY, sql, startTestStack, tokenFor, type GqlResult, type TestStack } from "@interforce/testkit";

let stack: TestStack;
const officer = () => tokenFor({ org: "KENT", roles: ["OFFICER"], clearance: "SECRET", covert: true, sub: "writer@kent" });
const tag = Math.random().toString(36).slice(2, 8);

beforeAll(async () => {
  stack = await startTestStack();
});

afterAll(async () => {
  await stack?.stop();
});

describe("SIGTERM to a force under concurrent writes", () => {
  it("finishes every request in flight, cuts none, keeps every acknowledged write and reports no write it made as failed", async () => {
    const kent = stack.services.get("kent")!;
    const token = officer();
    const results: { handle: string; res: GqlResult }[] = [];
    let sigtermAt = Number.POSITIVE_INFINITY;
    const writer = async (w: number) => {
      for (let i = 0; performance.now() < sigtermAt + 2000; i++) {
        const handle = `term_${tag}_${w}_${i}`;
        results.push({ handle, res: await gql(stack.gatewayUrl, RECORD_IDENTITY("kent"), { token, variables: { input: identityInput({ handle }) } }) });
      }
    };
    const writers = Array.from({ length: 8 }, (_, w) => writer(w));
    await new Promise((r) => setTimeout(r, 1500));
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      kent.process.once("exit", (code, signal) => resolve({ code, signal })),
    );
    sigtermAt = performance.now();
    kent.process.kill("SIGTERM");
    const exit = await exited;
    await Promise.all(writers);

    expect(exit).toEqual({ code: 0, signal: null });
    const drained = kent.lines
      .map((l) => (l.startsWith("{") ? (JSON.parse(l) as Record<string, unknown>) : {}))
      .find((l) => l.msg === "stopped accepting requests; in-flight requests done");
    expect(drained, "the force logged its drain").toBeDefined();
    expect(drained!.cut).toBe(0);
    expect(drained!.inFlightAtStart as number).toBeGreaterThan(0);
    expect(kent.lines.some((l) => l.includes('"msg":"stopped"'))).toBe(true);

    const acknowledged = results.filter((r) => r.res.status === 200 && !r.res.errors).map((r) => r.handle);
    const refused = results.filter((r) => r.res.errors);
    console.log(
      `SIGTERM under 8 writers: ${drained!.inFlightAtStart} in flight at the force, ${drained!.finished} finished, ${drained!.cut} cut; ` +
        `${acknowledged.length} writes acknowledged, ${refused.length} refused UNAVAILABLE after the force stopped accepting`,
    );
    expect(acknowledged.length).toBeGreaterThan(8);
    expect(refused.flatMap((r) => r.res.errors!.map((e) => e.extensions?.code))).toEqual(refused.map(() => "UNAVAILABLE"));

    await stack.restart("kent");
    const stored = await sql<{ handle: string }>(stack.databases.KENT!.ownerUrl, "SELECT handle FROM online_identity WHERE handle LIKE $1", [`term_${tag}_%`]);
    const handles = new Set(stored.map((r) => r.handle));
    for (const h of acknowledged) expect(handles.has(h), `acknowledged ${h} is stored`).toBe(true);
    for (const r of refused) expect(handles.has(r.handle), `refused ${r.handle} wrote nothing`).toBe(false);
  });
});
