import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ApolloServer } from "@apollo/server";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listen, type DrainableServer } from "./http.js";
import { apolloHardening } from "./mode.js";
import { CONSOLE_CSP, staticSite } from "./static-site.js";

const INDEX = '<!doctype html><html><head><script type="module" src="/console/assets/app-3f2a1b.js"></script></head><body>console</body></html>';
const GRAPHIQL = "<!doctype html><html><body>graphiql</body></html>";

let tmp = "";
/** A built site: index.html, graphiql.html, a hashed asset; beside it a secret, and a dotfile inside. */
let dist = "";
let unbuilt = "";
const servers: DrainableServer[] = [];

async function serve(root: string | null, production: boolean): Promise<string> {
  const server = new ApolloServer({ typeDefs: "type Query { a: Int }", resolvers: { Query: { a: () => 1 } }, ...apolloHardening(production) });
  await server.start();
  const http = await listen({
    server,
    context: async () => ({}),
    port: 0,
    log: pino({ level: "silent" }),
    production,
    routes: [
      { method: "GET", path: "/console/session/mode", handle: async () => ({ status: 200, json: { mode: production ? "production" : "development" } }) },
    ],
    site: root === null ? undefined : staticSite({ root, production, buildCommand: "npm run build:console" }),
  });
  servers.push(http);
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

/** GET with the path sent exactly as given (fetch would normalise `..` and encoded dots away). */
function rawGet(base: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method: "GET", headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end();
  });
}

let dev = "";
let prod = "";
let devUnbuilt = "";
let devNoSite = "";

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "interforce-site-"));
  dist = join(tmp, "dist");
  mkdirSync(join(dist, "assets"), { recursive: true });
  writeFileSync(join(dist, "index.html"), INDEX);
  writeFileSync(join(dist, "graphiql.html"), GRAPHIQL);
  writeFileSync(join(dist, "assets", "app-3f2a1b.js"), "console.log('app');");
  writeFileSync(join(dist, "assets", "app-9c8d7e.css"), "body{}");
  writeFileSync(join(dist, "favicon.svg"), "<svg/>");
  writeFileSync(join(dist, ".env"), "SECRET=1");
  writeFileSync(join(tmp, "secret.txt"), "outside the root");
  symlinkSync(join(tmp, "secret.txt"), join(dist, "assets", "link.txt"));
  unbuilt = join(tmp, "missing-dist");
  [dev, prod, devUnbuilt, devNoSite] = await Promise.all([serve(dist, false), serve(dist, true), serve(unbuilt, false), serve(null, false)]);
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.drain(1000)));
  rmSync(tmp, { recursive: true, force: true });
});

describe("the console's static site", () => {
  it("serves index.html at /console/ with the console's CSP, never cached", async () => {
    const res = await fetch(`${dev}/console/`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("content-security-policy")).toBe(CONSOLE_CSP);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await res.text()).toBe(INDEX);
  });

  it("falls back to index.html for the app's own routes (paths without an extension)", async () => {
    for (const path of ["/console/search", "/console/identity/KENT:identity:6f1c2d3e-0000-4000-8000-000000000001", "/console/graph/x/y", "/console/search/"]) {
      const res = await fetch(`${dev}${path}`);
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).toBe(INDEX);
      expect(res.headers.get("content-security-policy")).toBe(CONSOLE_CSP);
    }
  });

  it("serves hashed assets with their content type, cached for good; a missing asset is 404, not the app", async () => {
    const js = await fetch(`${dev}/console/assets/app-3f2a1b.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(js.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(await js.text()).toBe("console.log('app');");
    const css = await fetch(`${dev}/console/assets/app-9c8d7e.css`);
    expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
    const svg = await fetch(`${dev}/console/favicon.svg`);
    expect([svg.status, svg.headers.get("content-type")]).toEqual([200, "image/svg+xml"]);
    for (const path of ["/console/assets/app-000000.js", "/console/assets/new-route", "/console/missing.js"]) {
      const res = await fetch(`${dev}${path}`);
      expect(res.status, path).toBe(404);
      expect(await res.text()).not.toContain("<html");
    }
  });

  it("refuses path traversal, encoded separators, dotfiles and links out of the root", async () => {
    const paths = [
      "/console/../secret.txt",
      "/console/%2e%2e/secret.txt",
      "/console/assets/..%2f..%2fsecret.txt",
      "/console/..%5c..%5csecret.txt",
      "/console/assets/%2e%2e%2f%2e%2e%2fsecret.txt",
      "/console/.env",
      "/console/%2eenv",
      "/console/assets/link.txt",
      "/console//etc/passwd",
      "/console/%00",
    ];
    for (const path of paths) {
      const res = await rawGet(dev, path);
      expect(res.body, path).not.toContain("outside the root");
      expect(res.body, path).not.toContain("SECRET=1");
      expect(res.status, path).toBe(404);
    }
  });

  it("redirects a browser's GET of / to /console/, and leaves GraphQL at / to GraphQL", async () => {
    const res = await fetch(`${dev}/`, { headers: { accept: "text/html,application/xhtml+xml" }, redirect: "manual" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/console/");
    const noSlash = await fetch(`${dev}/console`, { redirect: "manual" });
    expect([noSlash.status, noSlash.headers.get("location")]).toEqual([302, "/console/"]);
    // A GET carrying a query is GraphQL's, whoever sends it.
    const query = await fetch(`${dev}/?query=${encodeURIComponent("{ a }")}`, {
      headers: { accept: "text/html", "apollo-require-preflight": "1" },
      redirect: "manual",
    });
    expect(query.status).not.toBe(302);
    const post = await fetch(`${dev}/`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ a }" }) });
    expect(await post.json()).toEqual({ data: { a: 1 } });
  });

  it("in development serves the bundled GraphiQL at /graphiql, and sends a browser's GET of /graphql there", async () => {
    const page = await fetch(`${dev}/graphiql`);
    expect(page.status).toBe(200);
    expect(await page.text()).toBe(GRAPHIQL);
    expect(page.headers.get("content-security-policy")).toBe(CONSOLE_CSP);
    const browser = await fetch(`${dev}/graphql`, { headers: { accept: "text/html" }, redirect: "manual" });
    expect([browser.status, browser.headers.get("location")]).toEqual([302, "/graphiql"]);
  });

  it("in production has no /graphiql, and a browser's GET of /graphql is refused (no landing page)", async () => {
    const page = await fetch(`${prod}/graphiql`);
    expect(page.status).toBe(404);
    expect(await page.text()).not.toContain("graphiql</body>");
    const browser = await fetch(`${prod}/graphql`, { headers: { accept: "text/html" }, redirect: "manual" });
    expect(browser.status).toBe(400);
    expect(browser.headers.get("content-type") ?? "").not.toMatch(/text\/html/);
    expect(await browser.text()).not.toMatch(/<html|<script|sandbox/i);
    expect(browser.headers.get("content-security-policy")).toMatch(/default-src 'none'/);
    // The console itself is served in production too.
    expect((await fetch(`${prod}/console/`)).status).toBe(200);
  });

  it("in development serves no Apollo landing page (Sandbox loads from a CDN), with or without a site", async () => {
    for (const base of [dev, devNoSite]) {
      const res = await fetch(`${base}/graphql`, { headers: { accept: "text/html" } });
      expect(await res.text()).not.toMatch(/<script|sandbox|apollographql|cdn/i);
    }
  });

  it("answers 503 naming the build command, never a stack trace, before the console is built", async () => {
    const html = await fetch(`${devUnbuilt}/console/`, { headers: { accept: "text/html" } });
    expect(html.status).toBe(503);
    const text = await html.text();
    expect(text).toContain("npm run build:console");
    expect(text).not.toMatch(/ENOENT|at \w+ \(|node:internal/);
    expect(html.headers.get("content-security-policy")).toBe(CONSOLE_CSP);
    const json = await fetch(`${devUnbuilt}/console/search`, { headers: { accept: "application/json" } });
    expect(json.status).toBe(503);
    const body = (await json.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe("UNAVAILABLE");
    expect(body.errors[0]!.message).toContain("npm run build:console");
    expect((await fetch(`${devUnbuilt}/graphiql`)).status).toBe(503);
  });

  it("leaves /console/session/* to its JSON routes: one that does not exist is a JSON 404, not the app", async () => {
    const mode = await fetch(`${dev}/console/session/mode`);
    expect(await mode.json()).toEqual({ mode: "development" });
    const missing = await fetch(`${dev}/console/session/principals`, { headers: { accept: "text/html" } });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ errors: [{ message: "Not found", extensions: { code: "NOT_FOUND" } }] });
  });

  it("answers HEAD without a body and refuses other methods on the site", async () => {
    const head = await fetch(`${dev}/console/`, { method: "HEAD" });
    expect([head.status, head.headers.get("content-type")]).toEqual([200, "text/html; charset=utf-8"]);
    const post = await fetch(`${dev}/console/`, { method: "POST", body: "x" });
    expect(post.status).toBe(404);
  });
});
