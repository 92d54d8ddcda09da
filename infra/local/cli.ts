import { parseArgs } from "node:util";

/** A mistake in how a command was called: printed as it is, exit status 2. */
export class UsageError extends Error {}

/**
 * Parses a command's flags (each taking a value) strictly. `--help` prints `usage` and gives null; an unknown or
 * malformed flag is a UsageError that ends with `usage`.
 */
export function parseFlags(usage: string, names: string[]): Record<string, string | undefined> | null {
  let values: Record<string, string | boolean | undefined>;
  try {
    const options = Object.fromEntries([...names.map((n) => [n, { type: "string" as const }]), ["help", { type: "boolean" as const }]]);
    values = parseArgs({ options, strict: true }).values as Record<string, string | boolean | undefined>;
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n\n${usage}`);
  }
  if (values.help) {
    console.log(usage);
    return null;
  }
  return values as Record<string, string | undefined>;
}

/** Runs a command and exits with its status: 2 for a UsageError, 3 (after `failure: reason`) for anything else. */
export function runCli(main: () => Promise<number>, failure: string): void {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      if (err instanceof UsageError) {
        console.error(err.message);
        process.exit(2);
      }
      console.error(`${failure}: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(3);
    },
  );
}
