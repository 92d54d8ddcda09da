import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import { HeaderMap, type ApolloServer, type BaseContext } from "@apollo/server";
import type { Logger } from "pino";
import { currentRequest, withRequestRecord, type RequestRecord } from "./access-log.js";
import { metricsPage, operationLabel, outcomeLabel, requestDuration } from "./metrics.js";
import type { ReadyResult } from "./ready.js";
import { securityHeaders } from "./security-headers.js";
import type { StaticSite } from "./static-site.js";

export { securityHeaders };

export interface RequestInfo {
  headers: IncomingMessage["headers"];
  requestId: string;
  rawBody: string;
  method: string;
  /** Path and query string, exactly as received. */
  url: string;
  remoteAddress: string | undefined;
}

export interface Route {
  method: "GET" | "POST";
  path: string;
  /** Polled by other services every few seconds (the policy feed): answered below 400, its access line is at debug level. */
  polled?: boolean;
  handle(req: RequestInfo): Promise<{ status: number; json: unknown; headers?: Record<string, string> }>;
}

/** An answer given before Apollo runs: the request is refused and nothing else happens. */
export interface Refusal {
  status: number;
  code: string;
  message: string;
  headers?: Record<string, string>;
}

export interface HttpOptions<TContext extends BaseContext> {
  /** Apollo Server, or any engine with its request entry point. */
  server: Pick<ApolloServer<TContext>, "executeHTTPGraphQLRequest">;
  context: (req: RequestInfo) => Promise<TContext>;
  port: number;
  host?: string;
  log: Logger;
  routes?: Route[];
  /** Bodies above this are refused before parsing. */
  maxBodyBytes?: number;
  /**
   * Runs on every GraphQL request once its body is read and before Apollo sees it (not on
   * /health or internal routes): the gateway-signature check of a subgraph, the gateway's
   * rate limit. A refusal is answered as is.
   */
  admit?: (req: RequestInfo) => Promise<Refusal | undefined>;
  /** A GraphQL request still running after this long is answered 503 (TIMEOUT). */
  requestTimeoutMs?: number;
  /** Adds HSTS and keeps the strict content security policy on every response. */
  production?: boolean;
  /**
   * The edge service (the gateway): every request gets an id of its own, which every audit
   * row of the request carries; a client's x-request-id is only logged beside it. Without
   * this, a well-formed incoming id (the gateway's, signed with the call) is kept.
   */
  issueRequestIds?: boolean;
  /** GET /ready: 200 when every required dependency is usable, 503 otherwise; both with the checks. Without it, /ready is /health. */
  ready?: () => Promise<ReadyResult>;
  /** A built web app served beside GraphQL (the gateway's console, `staticSite`); `routes` are matched first. */
  site?: StaticSite;
}

/** Probes and scrapes: answered before anything else, and logged at debug level only. */
const OPERATIONS_PATHS = new Set(["/health", "/ready", "/metrics"]);

/**
 * The access-log line of one request, written when its answer is sent (or the connection cut):
 * request id, caller, operation name, status, outcome code and duration. Never the query text,
 * variables, the URL's query string or anything of a record.
 */
function accessLine(
  log: Logger,
  record: RequestRecord,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  startedAt: number,
  graphql: boolean,
  polled: boolean,
) {
  const durationMs = Math.round((performance.now() - startedAt) * 10) / 10;
  const status = res.headersSent ? res.statusCode : null;
  const outcome = outcomeLabel(record.outcome ?? (status === null ? "ABORTED" : status >= 400 ? `HTTP_${status}` : undefined));
  const operation = operationLabel(record.operation?.name, record.operation !== undefined);
  if (graphql) requestDuration.observe({ operation, outcome }, durationMs / 1000);
  const line = { requestId: record.requestId, sub: record.sub, org: record.org, operation, method: req.method, path, status, outcome, durationMs };
  if (OPERATIONS_PATHS.has(path) || (polled && status !== null && status < 400)) log.debug(line, "access");
  else log.info(line, "access");
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > limit) return reject(new BodyTooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off("data", onData);
        chunks.length = 0;
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.once("error", reject);
  });
}

/**
 * Reads and drops what is left of a refused upload before the 413 is sent, so the client,
 * which is still writing, gets to read it instead of a reset connection (EPIPE); a client
 * that keeps sending past `max` is cut off. Resolves whether the upload ended.
 */
function discardRest(req: IncomingMessage, max: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (req.readableEnded) return resolve(true);
    let seen = 0;
    req.on("data", (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > max) {
        req.destroy();
        resolve(false);
      }
    });
    req.once("end", () => resolve(true));
    req.once("error", () => resolve(false));
    req.once("close", () => resolve(req.readableEnded));
    req.resume();
  });
}

const errorBody = (code: string, message: string) => ({ errors: [{ message, extensions: { code } }] });

/** The first error code of a GraphQL-shaped body, if it has one. */
function firstErrorCode(body: unknown): string | undefined {
  const code = (body as { errors?: { extensions?: { code?: unknown } }[] } | null | undefined)?.errors?.[0]?.extensions?.code;
  return typeof code === "string" ? code : undefined;
}

const parseOr = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};

const MAX_NESTING = 64;

/**
 * What no request may carry, whatever field it is bound for: U+0000 (PostgreSQL text cannot
 * hold it, so it would surface as a driver error deep inside a resolver), or JSON nested
 * deeper than any operation needs.
 */
function refusedContent(value: unknown, depth = 0): string | undefined {
  if (typeof value === "string") return value.includes("\u0000") ? "Strings may not contain NUL characters" : undefined;
  if (value === null || typeof value !== "object") return undefined;
  if (depth > MAX_NESTING) return "Request nests too deeply";
  for (const [k, v] of Object.entries(value)) {
    const found = refusedContent(k, depth + 1) ?? refusedContent(v, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** A GET request's `variables` and `extensions`, which carry JSON of their own. */
function jsonParams(params: URLSearchParams): unknown[] {
  return ["variables", "extensions"].flatMap((name) => {
    const text = params.get(name);
    if (!text) return [];
    try {
      return [JSON.parse(text) as unknown];
    } catch {
      return [];
    }
  });
}

/**
 * A small node:http integration for Apollo Server: one GraphQL endpoint at /graphql, a
 * health check, and any internal routes a service needs, without a web framework.
 */
/** The HTTP server, and a way to stop it without cutting a request short. */
export type DrainableServer = Server & {
  /**
   * Stops accepting connections, lets every request already in flight finish (answering it with
   * `connection: close`, so kept-alive clients reconnect elsewhere), and resolves once none is left,
   * or after `timeoutMs`, when what remains is cut.
   */
  drain(timeoutMs?: number): Promise<{ finished: number; cut: number }>;
};

export async function listen<TContext extends BaseContext>(opts: HttpOptions<TContext>): Promise<DrainableServer> {
  const { server, log } = opts;
  const production = opts.production ?? false;
  const limit = opts.maxBodyBytes ?? 2 * 1024 * 1024;
  const routes = opts.routes ?? [];

  const sendJson = (res: ServerResponse, status: number, body: unknown, requestId: string, extra: Record<string, string> = {}) => {
    const record = currentRequest();
    if (record && status >= 400) record.outcome ??= firstErrorCode(body);
    res.writeHead(status, {
      ...securityHeaders(production),
      "content-type": "application/json; charset=utf-8",
      "x-request-id": requestId,
      ...extra,
    });
    res.end(JSON.stringify(body));
  };

  let inflight = 0;
  let draining = false;
  let finishedWhileDraining = 0;
  const http = createServer((req, res) => withRequestRecord({ requestId: "" }, () => handle(req, res)));
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    inflight++;
    res.once("close", () => {
      inflight--;
      if (draining) finishedWhileDraining++;
    });
    if (draining) res.setHeader("connection", "close");
    const incomingId = req.headers["x-request-id"];
    const wellFormed = typeof incomingId === "string" && /^[A-Za-z0-9._-]{1,64}$/.test(incomingId);
    const requestId = wellFormed && !opts.issueRequestIds ? incomingId : randomUUID();
    if (opts.issueRequestIds && incomingId !== undefined) {
      log.info({ requestId, clientRequestId: wellFormed ? incomingId : "(malformed)" }, "client request id");
    }
    const url = new URL(req.url ?? "/", "http://localhost");
    const record = currentRequest()!;
    record.requestId = requestId;
    const startedAt = performance.now();
    let graphql = false;
    const polled = routes.some((r) => r.polled && r.path === url.pathname && r.method === req.method);
    res.once("close", () => accessLine(log, record, req, res, url.pathname, startedAt, graphql, polled));
    try {
      if (url.pathname === "/health") return sendJson(res, 200, { status: "ok" }, requestId);
      if (url.pathname === "/ready") {
        // A draining instance takes no new traffic, whatever its dependencies say.
        const ready = draining ? { ok: false, checks: { draining: true } } : opts.ready ? await opts.ready() : { ok: true, checks: {} };
        return sendJson(res, ready.ok ? 200 : 503, { status: ready.ok ? "ready" : "unready", checks: ready.checks }, requestId);
      }
      // On the service port only, never through /graphql; see metrics.ts for who may reach it.
      if (url.pathname === "/metrics" && req.method === "GET") {
        const page = await metricsPage();
        res.writeHead(200, { ...securityHeaders(production), "content-type": page.contentType, "x-request-id": requestId });
        return void res.end(page.body);
      }
      let rawBody = "";
      try {
        rawBody = req.method === "POST" ? await readBody(req, limit) : "";
      } catch (e) {
        if (e instanceof BodyTooLarge) {
          if (!(await discardRest(req, 16 * limit))) return;
          return sendJson(res, 413, errorBody("BAD_REQUEST", `Request body larger than ${limit} bytes`), requestId, { connection: "close" });
        }
        throw e;
      }
      const info: RequestInfo = {
        headers: req.headers,
        requestId,
        rawBody,
        method: req.method ?? "GET",
        url: req.url ?? "/",
        remoteAddress: req.socket.remoteAddress,
      };
      const route = routes.find((r) => r.path === url.pathname && r.method === req.method);
      if (route) {
        const out = await route.handle(info);
        return sendJson(res, out.status, out.json, requestId, out.headers);
      }
      const page = opts.site?.answer(req, url);
      if (page) {
        res.writeHead(page.status, { ...page.headers, "x-request-id": requestId });
        return void res.end(req.method === "HEAD" ? undefined : page.body);
      }
      if (url.pathname !== "/graphql" && url.pathname !== "/") {
        return sendJson(res, 404, errorBody("NOT_FOUND", "Not found"), requestId);
      }
      graphql = true;
      const refusal = opts.admit ? await opts.admit(info) : undefined;
      if (refusal) return sendJson(res, refusal.status, errorBody(refusal.code, refusal.message), requestId, refusal.headers);

      let body: unknown = undefined;
      if (rawBody) {
        try {
          body = JSON.parse(rawBody);
        } catch {
          return sendJson(res, 400, errorBody("BAD_REQUEST", "Body is not valid JSON"), requestId);
        }
      }
      const bad = refusedContent(body) ?? refusedContent(Object.fromEntries(url.searchParams)) ?? refusedContent(jsonParams(url.searchParams));
      if (bad) return sendJson(res, 400, errorBody("BAD_USER_INPUT", bad), requestId);
      const headers = new HeaderMap();
      for (const [k, v] of Object.entries(req.headers)) {
        if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(", ") : v);
      }
      const execution = server.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method ?? "GET", headers, search: url.search, body },
        context: () => opts.context(info),
      });
      let timer: NodeJS.Timeout | undefined;
      const timeout = opts.requestTimeoutMs
        ? new Promise<"timeout">((resolve) => {
            timer = setTimeout(() => resolve("timeout"), opts.requestTimeoutMs);
          })
        : undefined;
      const result = timeout ? await Promise.race([execution, timeout]) : await execution;
      clearTimeout(timer);
      if (result === "timeout") {
        // The operation may still finish in the background; its answer is dropped.
        execution.catch((err) => log.error({ err, requestId }, "request failed after its time budget"));
        log.warn({ requestId, budgetMs: opts.requestTimeoutMs }, "request time budget spent");
        return sendJson(res, 503, errorBody("TIMEOUT", "The request took longer than its time budget"), requestId);
      }
      const outHeaders: Record<string, string> = { "x-request-id": requestId };
      for (const [k, v] of result.headers) outHeaders[k] = v;
      res.writeHead(result.status ?? 200, { ...outHeaders, ...securityHeaders(production) });
      // Refused before Apollo's plugins ran (the context could not be built): the code is in the body.
      if (!record.outcome && (result.status ?? 200) >= 400 && result.body.kind === "complete") record.outcome = firstErrorCode(parseOr(result.body.string));
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
  };
  // Longer than any client's idle-socket timeout, so a kept-alive connection is never closed
  // by us just as the gateway reuses it (which it would see as "socket hang up").
  http.keepAliveTimeout = 30_000;
  http.headersTimeout = 35_000;
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    // Outlive the callers' idle keep-alive sockets: when a server closes an idle connection
    // just as the gateway reuses it, the call fails with "socket hang up".
    http.keepAliveTimeout = 65_000;
    http.headersTimeout = 66_000;
    http.listen(opts.port, opts.host ?? "127.0.0.1", () => resolve());
  });
  const drainable = http as DrainableServer;
  drainable.drain = async (timeoutMs = 15_000) => {
    draining = true;
    const pending = inflight;
    http.close();
    http.closeIdleConnections();
    const deadline = Date.now() + timeoutMs;
    while (inflight > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
      // A kept-alive connection goes idle once its answer is sent: close it rather than wait for the client.
      http.closeIdleConnections();
    }
    const cut = inflight;
    http.closeAllConnections();
    log.info({ inFlightAtStart: pending, finished: finishedWhileDraining, cut }, "stopped accepting requests; in-flight requests done");
    return { finished: finishedWhileDraining, cut };
  };
  return drainable;
}
