import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { AuthError } from "./errors.js";
import type { HeaderSource, NonceGuard } from "./signed-request.js";

/**
 * Service → service request signing (hub ↔ force internal routes). The HMAC, under the
 * secret of the force involved, covers the caller, the target service, the method, the
 * path, the body, a timestamp and a random nonce, in the same canonical form as the
 * gateway's signature. A captured call cannot be replayed (the receiving route's
 * ReplayGuard remembers the nonce for longer than the timestamp is accepted), sent to
 * another route or method, or aimed at another service holding the same secret (the hub
 * and a force share that force's secret; the target keeps their calls apart).
 */
export const CALLER_HEADER = "x-interforce-caller";
export const TIMESTAMP_HEADER = "x-interforce-timestamp";
export const NONCE_HEADER = "x-interforce-nonce";
export const SIGNATURE_HEADER = "x-interforce-signature";

/** The hub's name as a caller and as a target. */
export const HUB_SERVICE = "HUB";

/**
 * Acceptance window either side of the receiver's clock. Internal calls are made the moment
 * they are signed, between services on one network, so the window is short.
 */
export const SERVICE_SIGNATURE_MAX_SKEW_MS = 10_000;

export type ServiceSignatureHeaders = {
  [CALLER_HEADER]: string;
  [TIMESTAMP_HEADER]: string;
  [NONCE_HEADER]: string;
  [SIGNATURE_HEADER]: string;
};

/** The request a signature is bound to, besides caller and target. */
export interface ServiceRequest {
  method: string;
  /** Path and query string, as sent: `/internal/index`, `/internal/policy`. */
  path: string;
  body: string | Uint8Array;
}

const VERSION = "v2";
/** Service names (caller and target): letters, digits and a few separators, never a newline. */
const NAME = /^[A-Za-z0-9_.:-]{1,64}$/;
const TIMESTAMP = /^\d{13}$/;
const NONCE = /^[0-9a-f]{32}$/;
const SIGNATURE = /^[0-9a-f]{64}$/;

/** Shorter secrets are configuration mistakes (an empty env var, a placeholder), not keys. */
function checkSecret(secret: string): void {
  if (typeof secret !== "string" || secret.length < 32) throw new Error("service secret must be at least 32 characters");
}

function checkName(kind: "caller" | "target", name: string): void {
  if (typeof name !== "string" || !NAME.test(name)) throw new Error(`invalid service ${kind} name: ${JSON.stringify(name)}`);
}

function mac(secret: string, caller: string, target: string, timestamp: string, nonce: string, req: ServiceRequest): Buffer {
  const bodyHash = createHash("sha256").update(req.body).digest("hex");
  // A JSON array keeps field boundaries unambiguous whatever the values contain.
  const canonical = JSON.stringify([`interforce-service/${VERSION}`, caller, target, timestamp, nonce, req.method.toUpperCase(), req.path, bodyHash]);
  return createHmac("sha256", secret).update(canonical).digest();
}

/** The signature headers for one call from `caller` to `target`. */
export function signServiceRequest(
  args: ServiceRequest & {
    secret: string;
    caller: string;
    target: string;
    now?: number;
    nonce?: string;
  },
): ServiceSignatureHeaders {
  checkSecret(args.secret);
  checkName("caller", args.caller);
  checkName("target", args.target);
  const timestamp = String(Math.trunc(args.now ?? Date.now()));
  const nonce = args.nonce ?? randomBytes(16).toString("hex");
  if (!NONCE.test(nonce)) throw new Error("service nonce must be 32 lower-case hex digits");
  const request = { method: args.method, path: args.path, body: args.body };
  return {
    [CALLER_HEADER]: args.caller,
    [TIMESTAMP_HEADER]: timestamp,
    [NONCE_HEADER]: nonce,
    [SIGNATURE_HEADER]: mac(args.secret, args.caller, args.target, timestamp, nonce, request).toString("hex"),
  };
}

function header(headers: HeaderSource, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name];
  // A repeated header is ambiguous about which value was signed.
  return typeof value === "string" ? value : undefined;
}

/** The claimed caller of a request, if well-formed; for attributing a refusal only, never for trust. */
export function claimedServiceCaller(headers: HeaderSource): string | null {
  const caller = header(headers, CALLER_HEADER);
  return caller && NAME.test(caller) ? caller : null;
}

/**
 * Checks a call was signed by its caller for this target, method, path and body, within the
 * window, and not seen before by `replay`; returns the authenticated caller name. Throws
 * AuthError with a coarse reason (safe for logs and the audit trail) on any failure.
 */
export async function verifyServiceRequest(
  args: ServiceRequest & {
    /** The caller's secret, or a function from the claimed caller name to its secret (it may throw AuthError to refuse the caller). */
    secret: string | ((caller: string) => string);
    /** The receiving service's own name: a signature made for any other is refused. */
    target: string;
    headers: HeaderSource;
    /** The receiving route's (or process's) record of nonces already accepted. */
    replay: NonceGuard;
    maxSkewMs?: number;
    now?: number;
  },
): Promise<string> {
  checkName("target", args.target);
  const caller = header(args.headers, CALLER_HEADER);
  const timestamp = header(args.headers, TIMESTAMP_HEADER);
  const nonce = header(args.headers, NONCE_HEADER);
  const signature = header(args.headers, SIGNATURE_HEADER);
  if (!caller || !timestamp || !nonce || !signature) throw new AuthError("missing service signature");
  if (!NAME.test(caller) || !TIMESTAMP.test(timestamp) || !NONCE.test(nonce) || !SIGNATURE.test(signature)) {
    throw new AuthError("malformed service signature");
  }
  const now = args.now ?? Date.now();
  if (Math.abs(now - Number(timestamp)) > (args.maxSkewMs ?? SERVICE_SIGNATURE_MAX_SKEW_MS)) {
    throw new AuthError("stale service signature");
  }
  const secret = typeof args.secret === "function" ? args.secret(caller) : args.secret;
  checkSecret(secret);
  const expected = mac(secret, caller, args.target, timestamp, nonce, { method: args.method, path: args.path, body: args.body });
  if (!timingSafeEqual(expected, Buffer.from(signature, "hex"))) throw new AuthError("invalid service signature");
  // Only a correctly signed call may spend a nonce, so forgeries cannot fill the guard.
  if (!(await args.replay.admit(`${caller}:${nonce}`, now))) throw new AuthError("replayed service signature");
  return caller;
}

/**
 * Each force gets its own secret, derived from the hub's master secret, so a force can
 * sign only in its own name: knowing KENT's secret does not let NORFOLK's pointers be forged.
 */
export function deriveServiceSecret(master: string, caller: string): string {
  checkSecret(master);
  checkName("caller", caller);
  return createHmac("sha256", master).update(`interforce-service:${caller}`).digest("hex");
}
