import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { REPO_ROOT } from "@interforce/domain";

const run = promisify(execFile);

async function check(schemaDir?: string): Promise<{ code: number; out: string }> {
  const args = ["--import", "tsx", "infra/schema/compose.ts", "--check", ...(schemaDir ? ["--schema-dir", schemaDir] : [])];
  try {
    const { stdout, stderr } = await run(process.execPath, args, { cwd: REPO_ROOT });
    return { code: 0, out: stdout + stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout + err.stderr };
  }
}

describe("pnpm schema:check", () => {
  let dir: string | undefined;
  const copy = () => {
    dir = mkdtempSync(join(tmpdir(), "interforce-schema-"));
    cpSync(join(REPO_ROOT, "schema"), dir, { recursive: true });
    return dir;
  };
  afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

  it("passes on the committed schema files", async () => {
    const r = await check();
    expect(r.out).toContain("schema up to date");
    expect(r.code).toBe(0);
  });

  it("fails when a subgraph's SDL changed without recomposition", async () => {
    const d = copy();
    const kent = join(d, "subgraphs/kent.graphql");
    writeFileSync(kent, readFileSync(kent, "utf8").replace("type KentQuery {", "type KentQuery {\n  extra: String"));
    const r = await check(d);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/stale/);
    expect(r.out).toContain("kent.graphql");
  });

  it("fails when the checked-in subgraphs no longer compose", async () => {
    const d = copy();
    // Drop a force subgraph the hub still stubs: its types lose their fields.
    rmSync(join(d, "subgraphs/essex.graphql"));
    const r = await check(d);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/do not compose/);
  });
});
