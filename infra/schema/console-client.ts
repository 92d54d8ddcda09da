/**
 * The console's typed GraphQL client (services/console/src/gql/) is generated from the
 * supergraph's API schema: `compose.ts --write` regenerates it after composing, `--check` fails
 * when it is stale.
 */
// The console is a web app with no package entry; its client generator is build tooling beside it.
// eslint-disable-next-line no-restricted-imports
import { clientDrift, writeClient } from "../../services/console/client-codegen.js";

/** Generated client files that differ from the committed ones (empty when in sync). */
export async function consoleClientDrift(): Promise<string[]> {
  return clientDrift();
}

/** Regenerates the client; returns the files written. */
export async function writeConsoleClient(): Promise<string[]> {
  return writeClient();
}

/** compose.ts's last step: regenerate (--write), or report the stale files and fail (--check). */
export async function syncConsoleClient(mode: "write" | "check"): Promise<void> {
  if (mode === "write") {
    console.log(`wrote ${(await writeConsoleClient()).length} console client files in services/console/src/gql`);
    return;
  }
  const drift = await consoleClientDrift();
  if (drift.length > 0) {
    console.error(`the console's client is stale; run \`pnpm schema:compose\`:\n${drift.map((f) => `  ${f}`).join("\n")}`);
    process.exitCode = 1;
  }
}
