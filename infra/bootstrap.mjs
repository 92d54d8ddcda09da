#!/usr/bin/env node
// Makes a fresh machine with only Node.js and npm able to run the project: installs the
// pinned pnpm into .tools/ and the workspace dependencies (PostgreSQL binaries included),
// then runs a workspace script or binary with pnpm.
//   node infra/bootstrap.mjs run <script> [args…]
//   node infra/bootstrap.mjs exec <binary> [args…]
import { spawnSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const PNPM_VERSION = "12.4.2";
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const tools = join(root, ".tools");
const pnpm = join(tools, "node_modules", ".bin", "pnpm");
// Progress goes to stderr so that `$(npm run -s token …)` captures only the token.
const say = (msg) => process.stderr.write(`[bootstrap] ${msg}\n`);

const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  say(`Node.js ${process.versions.node} is too old: Interforce needs Node.js 20.19 or newer.`);
  process.exit(1);
}

const [mode, target, ...args] = process.argv.slice(2);
if (!["run", "exec"].includes(mode ?? "") || !target) {
  say("usage: node infra/bootstrap.mjs (run <script> | exec <binary>) [args…]");
  process.exit(2);
}

function must(cmd, cmdArgs, opts = {}) {
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: ["ignore", process.stderr, process.stderr], ...opts });
  if (r.status !== 0) {
    say(`failed: ${cmd} ${cmdArgs.join(" ")} (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
}

if (!existsSync(pnpm)) {
  say(`installing pnpm ${PNPM_VERSION} into .tools/`);
  mkdirSync(tools, { recursive: true });
  writeFileSync(join(tools, "package.json"), JSON.stringify({ name: "interforce-tools", private: true }, null, 2));
  must("npm", ["install", "--prefix", tools, "--no-audit", "--no-fund", "--save-exact", `pnpm@${PNPM_VERSION}`]);
}

const marker = join(root, "node_modules", ".pnpm", "lock.yaml");
const lock = join(root, "pnpm-lock.yaml");
if (!existsSync(marker) || statSync(lock).mtimeMs > statSync(marker).mtimeMs) {
  say("installing dependencies (pnpm install --frozen-lockfile)");
  must(pnpm, ["install", "--frozen-lockfile"]);
}

const child = spawn(pnpm, mode === "run" ? ["run", "--silent", target, ...args] : ["exec", target, ...args], {
  cwd: root,
  stdio: "inherit",
});
// The child shares the terminal's process group and receives Ctrl-C itself; this process
// only waits for it to finish its own shutdown.
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
