import { randomUUID } from "node:crypto";
import { deriveGatewaySecret, ensureServiceSecret, GATEWAY_SIGNATURE_HEADER, signGatewayRequest } from "@interforce/auth";

export interface GqlResult<T = Record<string, unknown>> {
  status: number;
  requestId: string;
  data?: T | null;
  errors?: { message: string; path?: unknown[]; extensions?: Record<string, unknown> }[];
  raw: string;
}

export interface GqlOptions {
  token?: string;
  variables?: Record<string, unknown>;
  purpose?: string | null;
  requestId?: string;
  headers?: Record<string, string>;
  /**
   * Sign the call as the gateway does for this subgraph ("kent", "hub", …), to call a
   * subgraph directly the only way it accepts; without it a subgraph answers FORBIDDEN.
   */
  asGateway?: string;
  /** Send this exact body instead of `{ query, variables }` (batches, malformed JSON). */
  rawBody?: string;
}

/**
 * The signature header the gateway would add to this request for `subgraph`, made with the
 * test stack's secrets (INTERFORCE_HOME is the stack's home while it runs).
 */
export function gatewaySignature(subgraph: string, req: { url: string; method?: string; headers: Record<string, string>; body: string }): string {
  const lower = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const { pathname, search } = new URL(req.url);
  return signGatewayRequest({
    secret: deriveGatewaySecret(ensureServiceSecret(), subgraph),
    subgraph,
    request: { method: req.method ?? "POST", path: `${pathname}${search}`, headers: lower, body: req.body },
  });
}

/** POSTs one GraphQL operation over real HTTP. */
export async function gql<T = Record<string, unknown>>(url: string, query: string, opts: GqlOptions = {}): Promise<GqlResult<T>> {
  const requestId = opts.requestId ?? randomUUID();
  const headers: Record<string, string> = { "content-type": "application/json", "x-request-id": requestId, ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.purpose !== null) headers["x-purpose"] = opts.purpose ?? "test: investigation 24/1234";
  const sent = opts.rawBody ?? JSON.stringify({ query, variables: opts.variables });
  if (opts.asGateway) headers[GATEWAY_SIGNATURE_HEADER] = gatewaySignature(opts.asGateway, { url, headers, body: sent });
  const res = await fetch(url, { method: "POST", headers, body: sent });
  const raw = await res.text();
  let body: { data?: T | null; errors?: GqlResult["errors"] } = {};
  try {
    body = JSON.parse(raw);
  } catch {
    // left empty: the caller asserts on status and raw
  }
  // The gateway gives each request an id of its own; a subgraph keeps the one it was sent.
  return { status: res.status, requestId: res.headers.get("x-request-id") ?? requestId, data: body.data, errors: body.errors, raw };
}

export const errorCodes = (r: GqlResult) => (r.errors ?? []).map((e) => e.extensions?.code);

/** Polls until `fn` returns a truthy value or the time is up. */
export async function eventually<T>(fn: () => Promise<T | undefined | null | false>, timeoutMs = 10_000, stepMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined | null | false;
  while (Date.now() < deadline) {
    last = await fn();
    if (last) return last;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms (last value: ${JSON.stringify(last)})`);
}
