import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import { HeaderMap, type ApolloServer, type BaseContext } from "@apollo/server";
import type { Logger } from "pino";

export interface RequestInfo {
  headers: IncomingMessage["headers"];
  requestId: string;
  rawBody: string;
}

export interface Route {
  method: "GET" | "POST";
  path: string;
  handle(req: RequestInfo): Promise<{ status: number; json: unknown }>;
}

export interface HttpOptions<TContext extends BaseContext> {
  server: ApolloServer<TContext>;
  context: (req: RequestInfo) => Promise<TContext>;
  port: number;
  host?: string;
  log: Logger;
  routes?: Route[];
  /** Bodies above this are refused before parsing. */
  maxBodyBytes?: number;
}

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function sendJson(res: ServerResponse, status: number, body: unknown, requestId: string) {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "x-request-id": requestId });
  res.end(JSON.stringify(body));
}

const errorBody = (code: string, message: string) => ({ errors: [{ message, extensions: { code } }] });

/**
 * A small node:http integration for Apollo Server: one GraphQL endpoint at /graphql, a
 * health check, and any internal routes a service needs, without a web framework.
 */
export async function listen<TContext extends BaseContext>(opts: HttpOptions<TContext>): Promise<Server> {
  const { server, log } = opts;
  const limit = opts.maxBodyBytes ?? 2 * 1024 * 1024;
  const routes = opts.routes ?? [];
  const http = createServer(async (req, res) => {
    const incomingId = req.headers["x-request-id"];
    const requestId =
      typeof incomingId === "string" && /^[A-Za-z0-9._-]{1,64}$/.test(incomingId) ? incomingId : randomUUID();
    const url = new URL(req.url ?? "/", "http://localhost");
    try {
      if (url.pathname === "/health") return sendJson(res, 200, { status: "ok" }, requestId);
      let rawBody = "";
      try {
        rawBody = req.method === "POST" ? await readBody(req, limit) : "";
      } catch (e) {
        if (e instanceof BodyTooLarge) {
          return sendJson(res, 413, errorBody("BAD_REQUEST", `Request body larger than ${limit} bytes`), requestId);
        }
        throw e;
      }
      const info: RequestInfo = { headers: req.headers, requestId, rawBody };
      const route = routes.find((r) => r.path === url.pathname && r.method === req.method);
      if (route) {
        const out = await route.handle(info);
        return sendJson(res, out.status, out.json, requestId);
      }
      if (url.pathname !== "/graphql" && url.pathname !== "/") {
        return sendJson(res, 404, errorBody("NOT_FOUND", "Not found"), requestId);
      }
      let body: unknown = undefined;
      if (rawBody) {
        try {
          body = JSON.parse(rawBody);
        } catch {
          return sendJson(res, 400, errorBody("BAD_REQUEST", "Body is not valid JSON"), requestId);
        }
      }
      const headers = new HeaderMap();
      for (const [k, v] of Object.entries(req.headers)) {
        if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(", ") : v);
      }
      const result = await server.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method ?? "GET", headers, search: url.search, body },
        context: () => opts.context(info),
      });
      const outHeaders: Record<string, string> = { "x-request-id": requestId };
      for (const [k, v] of result.headers) outHeaders[k] = v;
      res.writeHead(result.status ?? 200, outHeaders);
      if (result.body.kind === "complete") {
        res.end(result.body.string);
      } else {
        for await (const chunk of result.body.asyncIterator) res.write(chunk);
        res.end();
      }
    } catch (err) {
      log.error({ err, requestId }, "request failed");
      if (!res.headersSent) sendJson(res, 500, errorBody("INTERNAL", "Internal error"), requestId);
      else res.end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(opts.port, opts.host ?? "127.0.0.1", () => resolve());
  });
  return http;
}
