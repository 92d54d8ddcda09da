import { request } from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer } from "@apollo/server";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listen } from "./http.js";

const LIMIT = 64 * 1024;
let port = 0;
let close: () => Promise<void> = async () => {};

beforeAll(async () => {
  const server = new ApolloServer({ typeDefs: "type Query { a: Int }", resolvers: { Query: { a: () => 1 } } });
  await server.start();
  const http = await listen({ server, context: async () => ({}), port: 0, log: pino({ level: "silent" }), maxBodyBytes: LIMIT });
  port = (http.address() as AddressInfo).port;
  close = () => new Promise((resolve) => http.close(() => resolve()));
});
afterAll(() => close());

/**
 * Posts `total` bytes in 16 KiB chunks, each after the last was flushed. The status once the
 * whole body was written and the answer read; the error if either failed first.
 */
function upload(total: number): Promise<{ status?: number; error?: string }> {
  return new Promise((resolve) => {
    let status: number | undefined;
    let written = false;
    const done = () => {
      if (written && status !== undefined) resolve({ status });
    };
    const req = request({ port, method: "POST", path: "/graphql", headers: { "content-type": "application/json", "content-length": String(total) } });
    req.on("response", (res) => {
      res.resume();
      res.on("end", () => {
        status = res.statusCode;
        done();
      });
    });
    req.on("error", (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
    const chunk = Buffer.alloc(16 * 1024, "a");
    let sent = 0;
    const next = () => {
      if (sent >= total) {
        req.end(() => {
          written = true;
          done();
        });
        return;
      }
      sent += chunk.length;
      req.write(chunk, () => setTimeout(next, 1));
    };
    next();
  });
}

describe("request bodies over the limit", () => {
  it("are answered 413 to a client still writing them, not with a reset connection", async () => {
    for (let i = 0; i < 3; i++) expect(await upload(8 * LIMIT)).toEqual({ status: 413 });
  });

  it("are cut off when the client keeps sending far past the limit", async () => {
    const out = await upload(64 * LIMIT);
    expect(out.status).toBeUndefined();
    expect(out.error).toMatch(/ECONNRESET|EPIPE/);
  });
});

describe("the access log of a polled route", () => {
  it("is at debug level when the poll is answered, and at info when it is refused; other routes are at info", async () => {
    const lines: { level: number; path: string; status: number; msg: string }[] = [];
    const log = pino({ level: "debug" }, { write: (s: string) => void lines.push(JSON.parse(s) as (typeof lines)[number]) });
    const server = new ApolloServer({ typeDefs: "type Query { a: Int }", resolvers: { Query: { a: () => 1 } } });
    await server.start();
    const answer = async (req: { headers: Record<string, string | string[] | undefined> }) =>
      req.headers["x-refuse"] ? { status: 403, json: { refused: true } } : { status: 200, json: { ok: true } };
    const http = await listen({
      server,
      context: async () => ({}),
      port: 0,
      log,
      routes: [
        { method: "GET", path: "/feed", polled: true, handle: answer },
        { method: "GET", path: "/other", handle: answer },
      ],
    });
    const at = (http.address() as AddressInfo).port;
    try {
      for (const [path, headers] of [
        ["/feed", {}],
        ["/feed", { "x-refuse": "1" }],
        ["/other", {}],
      ] as const) {
        const res = await fetch(`http://127.0.0.1:${at}${path}`, { headers });
        await res.text();
      }
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      await new Promise<void>((resolve) => http.close(() => resolve()));
    }
    const access = lines.filter((l) => l.msg === "access").map((l) => [l.path, l.status, l.level]);
    expect(access).toEqual([
      ["/feed", 200, 20],
      ["/feed", 403, 30],
      ["/other", 200, 30],
    ]);
  });
});
