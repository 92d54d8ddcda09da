import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { AuthError } from "./errors.js";
import type { HeaderSource, NonceGuard } from "./signed-request.js";

/**
 * Gateway → subgraph request signing. Subgraphs answer only the gateway: every call carries
 * an HMAC, under a secret of that one subgraph, over the method, path, body, the headers a
 * subgraph acts on (the user's token, the purpose, the request id), a timestamp and a
 * nonce. A captured call cannot be replayed (the nonce is remembered for longer than the
 * timestamp is accepted), re-aimed at another subgraph (its secret and name differ) or
 * reused with another user's token or purpose (those are signed too).
 */
export const GATEWAY_SIGNATURE_HEADER = "x-interforce-gateway-signature";

/** The request headers a subgraph reads, so the ones the signature must cover. */
export const SIGNED_HEADERS = ["authorization", "x-purpose", "x-request-id"] as const;

/** Acceptance window either side of the subgraph's clock. */
export const GATEWAY_SIGNATURE_MAX_SKEW_MS = 30_000;

const VERSION = "v1";
const SUBGRAPH = /^[a-z0-9_-]{1,64}$/;
const VALUE = /^v1;t=(\d{13});n=([0-9a-f]{32});s=([0-9a-f]{64})$/;

/**
 * The gateway's secret for one subgraph, derived from the master secret with a label of its
 * own, so it is neither a force's service secret (a force cannot sign as the gateway) nor
 * another subgraph's (one subgraph's secret opens no other).
 */
export function deriveGatewaySecret(master: string, subgraph: string): string {
  if (master.length < 32) throw new Error("master secret must be at least 32 characters");
  if (!SUBGRAPH.test(subgraph)) throw new Error(`invalid subgraph name: ${JSON.stringify(subgraph)}`);
  return createHmac("sha256", master).update(`interforce-gateway:${subgraph}`).digest("hex");
}

export interface GatewayRequest {
  method: string;
  /** Path and query string, as sent: `/graphql`, `/graphql?query=…`. */
  path: string;
  headers: HeaderSource;
  body: string | Uint8Array;
}

function header(headers: HeaderSource, name: string): string {
  if (headers instanceof Headers) return headers.get(name) ?? "";
  const value = headers[name];
  if (Array.isArray(value)) return value.join(", ");
  return value ?? "";
}

function mac(secret: string, subgraph: string, timestamp: string, nonce: string, req: GatewayRequest): Buffer {
  const sha = (v: string | Uint8Array) => createHash("sha256").update(v).digest("hex");
  // A JSON array keeps field boundaries unambiguous whatever the values contain.
  const canonical = JSON.stringify([
    `interforce-gateway/${VERSION}`,
    subgraph,
    timestamp,
    nonce,
    req.method.toUpperCase(),
    req.path,
    sha(req.body),
    ...SIGNED_HEADERS.map((h) => sha(header(req.headers, h))),
  ]);
  return createHmac("sha256", secret).update(canonical).digest();
}

function checkSecret(secret: string): void {
  if (typeof secret !== "string" || secret.length < 32) throw new Error("gateway secret must be at least 32 characters");
}

/** The signature header value for one subgraph call. */
export function signGatewayRequest(args: { secret: string; subgraph: string; request: GatewayRequest; now?: number; nonce?: string }): string {
  checkSecret(args.secret);
  if (!SUBGRAPH.test(args.subgraph)) throw new Error(`invalid subgraph name: ${JSON.stringify(args.subgraph)}`);
  const timestamp = String(Math.trunc(args.now ?? Date.now()));
  const nonce = args.nonce ?? randomBytes(16).toString("hex");
  const s = mac(args.secret, args.subgraph, timestamp, nonce, args.request).toString("hex");
  return `${VERSION};t=${timestamp};n=${nonce};s=${s}`;
}

/**
 * Checks a call claims to come from the gateway and does. Throws AuthError with a coarse
 * reason (safe for logs and the audit trail) on any failure.
 */
export async function verifyGatewayRequest(args: {
  secret: string;
  subgraph: string;
  request: GatewayRequest;
  replay: NonceGuard;
  now?: number;
  maxSkewMs?: number;
}): Promise<void> {
  checkSecret(args.secret);
  const raw = args.request.headers instanceof Headers ? args.request.headers.get(GATEWAY_SIGNATURE_HEADER) : args.request.headers[GATEWAY_SIGNATURE_HEADER];
  if (raw === undefined || raw === null || raw === "") throw new AuthError("missing gateway signature");
  if (typeof raw !== "string") throw new AuthError("malformed gateway signature");
  const m = VALUE.exec(raw);
  if (!m) throw new AuthError("malformed gateway signature");
  const [, timestamp, nonce, signature] = m as unknown as [string, string, string, string];
  const now = args.now ?? Date.now();
  if (Math.abs(now - Number(timestamp)) > (args.maxSkewMs ?? GATEWAY_SIGNATURE_MAX_SKEW_MS)) {
    throw new AuthError("stale gateway signature");
  }
  const expected = mac(args.secret, args.subgraph, timestamp, nonce, args.request);
  if (!timingSafeEqual(expected, Buffer.from(signature, "hex"))) throw new AuthError("invalid gateway signature");
  // Only a correctly signed call may spend a nonce, so forgeries cannot fill the guard.
  if (!(await args.replay.admit(nonce, now))) throw new AuthError("replayed gateway signature");
}
