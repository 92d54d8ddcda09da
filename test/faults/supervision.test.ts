/**
 * The local launcher supervises its services: one that crashes is started again after a
 * backoff that doubles with each crash in a minute (1, 2, 4 … 30 s), and each restart is
 * logged; `npm run service -- restart <name>` restarts one service on its own, the way
 * SIGTERM stops it, while the others keep running.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "@interforce/domain";
import { eventually, gql, startTestStack, tokenFor, type TestStack } from "@interforce/testkit";

let stack: TestStack;
const launcherLog: string[] = [];
const run = promisify(execFile);
const KENT_LIST = `{ kent { identities(first: 1) { nodes { id } } } }`;
const kentAnalyst = () => tokenFor({ org: "KENT", roles: ["ANALYST"], clearance: "SECRET", sub: "analyst@kent" });
const pid = (name: string) => stack.services.get(name)!.process.pid!;

beforeAll(async () => {
  stack = await startTestStack({ supervise: true, log: (line) => launcherLog.push(line) });
});

afterAll(async () => {
  await stack?.stop();
});

const logged = (pattern: RegExp) => eventually(async () => launcherLog.find((l) => pattern.test(l)), 60_000, 100);

describe("a service that crashes", () => {
  it("is started again after 1 s, then 2 s on a second crash, each restart logged, and answers again", async () => {
    const first = pid("kent");
    const others = { hub: pid("hub"), norfolk: pid("norfolk"), gateway: pid("gateway") };
    process.kill(first, "SIGKILL");
    await logged(/^\[stack\] kent exited \(SIGKILL\); restarting in 1 s \(crash 1 in the last minute\)$/);
    await logged(/^\[stack\] kent restarted \(pid \d+\)$/);
    const second = pid("kent");
    expect(second).not.toBe(first);
    const res = await gql(stack.gatewayUrl, KENT_LIST, { token: kentAnalyst() });
    expect(res.errors).toBeUndefined();

    const crashedAt = Date.now();
    process.kill(second, "SIGKILL");
    await logged(/^\[stack\] kent exited \(SIGKILL\); restarting in 2 s \(crash 2 in the last minute\)$/);
    await eventually(async () => pid("kent") !== second && launcherLog.filter((l) => /kent restarted/.test(l)).length === 2, 60_000);
    expect(Date.now() - crashedAt).toBeGreaterThanOrEqual(2000);
    expect((await gql(stack.gatewayUrl, KENT_LIST, { token: kentAnalyst() })).errors).toBeUndefined();
    // Nothing else was touched.
    expect({ hub: pid("hub"), norfolk: pid("norfolk"), gateway: pid("gateway") }).toEqual(others);
  });
});

describe("npm run service", () => {
  const service = (...args: string[]) =>
    run("npm", ["run", "-s", "service", "--", ...args], { cwd: REPO_ROOT, env: { ...process.env, INTERFORCE_HOME: stack.home } });

  it("lists every service with its pid and health", async () => {
    const { stdout } = await service("status");
    for (const name of ["hub", "kent", "norfolk", "essex", "ceop", "gateway"]) {
      expect(stdout).toMatch(new RegExp(`^${name}\\s+pid ${pid(name)}\\s+http://\\S+\\s+healthy$`, "m"));
    }
  });

  it("restarts one service on its own, the others untouched", async () => {
    const before = pid("norfolk");
    const others = { hub: pid("hub"), kent: pid("kent"), gateway: pid("gateway") };
    const { stdout } = await service("restart", "norfolk");
    expect(stdout).toMatch(new RegExp(`^norfolk restarted \\(pid (\\d+)\\), healthy at http://`, "m"));
    const after = Number(/restarted \(pid (\d+)\)/.exec(stdout)![1]);
    expect(after).not.toBe(before);
    expect(after).toBe(pid("norfolk"));
    // Stopped on request, not crashed: started again at once, without a backoff.
    expect(launcherLog).toContain("[stack] norfolk exited (code 0); starting it again");
    expect({ hub: pid("hub"), kent: pid("kent"), gateway: pid("gateway") }).toEqual(others);
  });

  it("refuses an unknown service, naming the ones there are, and changes nothing", async () => {
    const before = pid("kent");
    const err = await service("restart", "nowhere").then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(err?.code).toBe(2);
    expect(err?.stderr).toMatch(/no service nowhere in this stack; it has (?=.*\bhub\b)(?=.*\bkent\b)(?=.*\bgateway\b)/);
    expect(pid("kent")).toBe(before);
  });
});
