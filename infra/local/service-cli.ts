/**
 * Looks at, or restarts, one service of the stack `npm start` is running, without stopping the rest.
 *   npm run service -- status
 *   npm run service -- restart kent
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "@interforce/domain";
import { runCli, UsageError } from "./cli.js";

const USAGE = `usage: npm run service -- status
       npm run service -- restart <name>

status         every service of the running stack: pid, URL and whether /health answers
restart NAME   stops NAME (hub, gateway, or an org in lower case: kent, norfolk, …) the way
               SIGTERM does — requests in flight finish first — and waits until the launcher
               has started it again and it answers; the other services keep running

The stack is the one whose home is INTERFORCE_HOME (default .interforce/).`;

interface Control {
  launcherPid: number;
  services: Record<string, { pid: number; url: string }>;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function healthy(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}

function readControl(file: string): Control {
  if (!existsSync(file)) throw new Error(`no running stack: ${file} does not exist (start one with npm start)`);
  const control = JSON.parse(readFileSync(file, "utf8")) as Control;
  if (!alive(control.launcherPid)) throw new Error(`the launcher of this stack (pid ${control.launcherPid}) is not running`);
  return control;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2).filter((a) => a !== "--");
  if (args.includes("--help") || args.includes("-h")) {
    console.log(USAGE);
    return 0;
  }
  const [command, name, ...rest] = args;
  if (rest.length || (command !== "status" && command !== "restart") || (command === "restart" && !name) || (command === "status" && name)) {
    throw new UsageError(USAGE);
  }
  const file = join(process.env.INTERFORCE_HOME ?? join(REPO_ROOT, ".interforce"), "stack.json");
  const control = readControl(file);

  if (command === "status") {
    for (const [svc, { pid, url }] of Object.entries(control.services)) {
      console.log(`${svc.padEnd(12)} pid ${String(pid).padEnd(8)} ${url.padEnd(28)} ${(await healthy(url)) ? "healthy" : "NOT ANSWERING"}`);
    }
    return 0;
  }

  const target = control.services[name!];
  if (!target) throw new UsageError(`no service ${name} in this stack; it has ${Object.keys(control.services).join(", ")}`);
  console.log(`restarting ${name} (pid ${target.pid})…`);
  process.kill(target.pid, "SIGTERM");
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    const now = readControl(file).services[name!];
    if (now && now.pid !== target.pid && (await healthy(now.url))) {
      console.log(`${name} restarted (pid ${now.pid}), healthy at ${now.url}`);
      return 0;
    }
  }
  console.error(`${name} did not come back within 120 s; see the launcher's log`);
  return 1;
}

runCli(main, "service");
