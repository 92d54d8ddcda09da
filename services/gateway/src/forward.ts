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

/**
 * Wraps the data source's fetcher so each subgraph call goes out with only allowlisted
 * headers, signed for that subgraph over exactly the bytes sent, with a time limit, and
 * without following redirects (a redirect would carry the user's token elsewhere).
 */
export function signingFetcher(base: Fetcher, opts: { subgraph: string; secret: string; timeoutMs: number }): Fetcher {
  return (url: string, init: FetcherRequestInit = {}) => {
    const headers = allowlisted(init.headers);
    const { pathname, search } = new URL(url);
    const body = init.body ?? "";
    headers[GATEWAY_SIGNATURE_HEADER] = signGatewayRequest({
      secret: opts.secret,
      subgraph: opts.subgraph,
      request: { method: init.method ?? "GET", path: `${pathname}${search}`, headers, body },
    });
    return base(url, { ...init, headers, redirect: "error", signal: AbortSignal.timeout(opts.timeoutMs) } as FetcherRequestInit);
  };
}
