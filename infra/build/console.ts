/**
 * Builds the web console (services/console, React + Vite) into services/console/dist, which the
 * gateway serves at /console/ (CONSOLE_DIST elsewhere). The launcher builds it when the dist is
 * missing or older than its sources; `npm run build` and the image build it always.
 *   npm run build:console [-- --if-stale]
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { REPO_ROOT } from "@interforce/domain";

export const CONSOLE_DIR = join(REPO_ROOT, "services", "console");
export const CONSOLE_DIST = join(CONSOLE_DIR, "dist");

/** What the console's build reads: everything of the package but its dependencies and its output. */
const SKIP = new Set(["node_modules", "dist", ".vite", "coverage"]);

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.isFile()) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Why the console needs building (no package, no dist, or a source newer than it), or null when its dist is current. */
export function consoleBuildReason(dir = CONSOLE_DIR): string | null {
  if (!existsSync(join(dir, "package.json"))) return null;
  const index = join(dir, "dist", "index.html");
  if (!existsSync(index)) return "not built yet";
  return newestSource(dir) > statSync(index).mtimeMs ? "its sources changed" : null;
}

/** pnpm: the one running this script, else the one the bootstrap installed, else pnpm on the PATH (the image's). */
function pnpmCommand(): { cmd: string; args: string[] } {
  const running = process.env.npm_execpath;
  if (running && /pnpm/.test(running))
    return running.endsWith(".cjs") || running.endsWith(".js") ? { cmd: process.execPath, args: [running] } : { cmd: running, args: [] };
  const tools = join(REPO_ROOT, ".tools", "node_modules", ".bin", "pnpm");
  return existsSync(tools) ? { cmd: tools, args: [] } : { cmd: "pnpm", args: [] };
}

/** Runs the console package's own `build` script; rejects with the end of its output when it fails. */
export async function buildConsole(log: (line: string) => void = console.log): Promise<void> {
  if (!existsSync(join(CONSOLE_DIR, "package.json"))) {
    log("console: services/console has no package yet; nothing to build");
    return;
  }
  const started = Date.now();
  const { cmd, args } = pnpmCommand();
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(cmd, [...args, "--dir", CONSOLE_DIR, "run", "build"], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"], env: process.env });
    const keep = (b: Buffer) => {
      output.push(b.toString("utf8"));
      if (output.length > 200) output.splice(0, 100);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.once("error", reject);
    child.once("exit", resolve);
  });
  if (code !== 0) {
    const tail = output.join("").trim().split("\n").slice(-20).join("\n");
    throw new Error(`console build failed (exit ${code}):\n${tail}`);
  }
  log(`built ${relative(REPO_ROOT, CONSOLE_DIST)}/ in ${Date.now() - started} ms`);
}

/** Builds the console when its dist is missing or stale, saying so first; a current dist is left alone. */
export async function ensureConsoleBuilt(log: (line: string) => void = console.log): Promise<void> {
  const reason = consoleBuildReason();
  if (!reason) return;
  log(`console: building services/console (${reason})…`);
  await buildConsole(log);
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const { values } = parseArgs({ options: { help: { type: "boolean" }, "if-stale": { type: "boolean" } } });
  if (values.help) {
    console.log("usage: npm run build:console [-- --if-stale]\n  Builds the web console into services/console/dist (the gateway serves it at /console/).");
    process.exit(0);
  }
  await (values["if-stale"] ? ensureConsoleBuilt() : buildConsole()).catch((err: Error) => {
    console.error(err.message);
    process.exit(1);
  });
}
