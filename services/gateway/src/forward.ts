import type { RemoteGraphQLDataSource } from "@apollo/gateway";
import { GATEWAY_SIGNATURE_HEADER, signGatewayRequest } from "@interforce/auth";

type Fetcher = RemoteGraphQLDataSource["fetcher"];
type FetcherRequestInit = NonNullable<Parameters<Fetcher>[1]>;

/**
 * The only headers a subgraph call carries. Whatever a client sends (x-org, x-user,
 * x-forwarded-for, a second authorization, cookies) stops at the gateway: subgraphs learn
 * who is asking from the user's token alone, verified again there.
 */
export const FORWARDED_HEADERS = ["content-type", "authorization", "x-purpose", "x-request-id"] as const;

export function allowlisted(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const lower = name.toLowerCase();
    if ((FORWARDED_HEADERS as readonly string[]).includes(lower)) out[lower] = value;
  }
  return out;
}

export interface SigningOptions {
  subgraph: string;
  secret: string;
  timeoutMs: number;
}

/**
 * The headers, redirect rule and time limit of one subgraph call, whichever engine makes it:
 * only allowlisted headers, a signature for that subgraph over exactly the bytes sent, and no
 * redirect followed (a redirect would carry the user's token elsewhere).
 */
export function signedCall(
  url: string,
  call: { method?: string; headers?: Record<string, string>; body?: string },
  opts: SigningOptions,
): { headers: Record<string, string>; redirect: "error"; signal: AbortSignal } {
  const headers = allowlisted(call.headers);
  const { pathname, search } = new URL(url);
  headers[GATEWAY_SIGNATURE_HEADER] = signGatewayRequest({
    secret: opts.secret,
    subgraph: opts.subgraph,
    request: { method: call.method ?? "GET", path: `${pathname}${search}`, headers, body: call.body ?? "" },
  });
  return { headers, redirect: "error", signal: AbortSignal.timeout(opts.timeoutMs) };
}

/** Wraps the Apollo data source's fetcher so each subgraph call is made as `signedCall` says. */
export function signingFetcher(base: Fetcher, opts: SigningOptions): Fetcher {
  return (url: string, init: FetcherRequestInit = {}) => {
    const body = typeof init.body === "string" ? init.body : "";
    const signed = signedCall(url, { method: init.method, headers: init.headers, body }, opts);
    return base(url, { ...init, ...signed } as FetcherRequestInit);
  };
}
