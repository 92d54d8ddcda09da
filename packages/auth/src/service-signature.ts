import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { AuthError } from "./errors.js";

export const CALLER_HEADER = "x-interforce-caller";
export const TIMESTAMP_HEADER = "x-interforce-timestamp";
export const SIGNATURE_HEADER = "x-interforce-signature";

export type ServiceSignatureHeaders = {
  [CALLER_HEADER]: string;
  [TIMESTAMP_HEADER]: string;
  [SIGNATURE_HEADER]: string;
};

/** Node's IncomingHttpHeaders (lower-cased names) or a Fetch `Headers`. */
export type HeaderSource = Headers | Record<string, string | string[] | undefined>;

/** Newline is the field separator in the signed string, so callers must not be able to contain one. */
const CALLER = /^[A-Za-z0-9_.:-]{1,64}$/;

/** Shorter secrets are configuration mistakes (an empty env var, a placeholder), not keys. */
function checkSecret(secret: string): void {
  if (secret.length < 32) throw new Error("service secret must be at least 32 characters");
}

function mac(secret: string, caller: string, timestamp: string, body: string | Uint8Array): Buffer {
  const bodyHash = createHash("sha256").update(body).digest("hex");
  return createHmac("sha256", secret).update(`${caller}\n${timestamp}\n${bodyHash}`).digest();
}

export function signServiceRequest(args: {
  secret: string;
  caller: string;
  body: string | Uint8Array;
  now?: number;
}): ServiceSignatureHeaders {
  checkSecret(args.secret);
  if (!CALLER.test(args.caller)) throw new Error(`invalid service caller name: ${JSON.stringify(args.caller)}`);
  const timestamp = String(Math.trunc(args.now ?? Date.now()));
  return {
    [CALLER_HEADER]: args.caller,
    [TIMESTAMP_HEADER]: timestamp,
    [SIGNATURE_HEADER]: mac(args.secret, args.caller, timestamp, args.body).toString("hex"),
  };
}

function header(headers: HeaderSource, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name];
  // A repeated header is ambiguous about which value was signed.
  return typeof value === "string" ? value : undefined;
}

/**
 * Returns the authenticated caller name. The timestamp window limits, but does not prevent,
 * replay of a captured request, so signed calls should be idempotent reads.
 */
export function verifyServiceRequest(args: {
  /** The caller's secret, or a function from the claimed caller name to its secret. */
  secret: string | ((caller: string) => string);
  headers: HeaderSource;
  body: string | Uint8Array;
  maxSkewMs?: number;
  now?: number;
}): string {
  const caller = header(args.headers, CALLER_HEADER);
  const timestamp = header(args.headers, TIMESTAMP_HEADER);
  const signature = header(args.headers, SIGNATURE_HEADER);
  if (!caller || !timestamp || !signature) throw new AuthError("missing service signature");
  if (!CALLER.test(caller) || !/^\d{1,16}$/.test(timestamp) || !/^[0-9a-f]{64}$/.test(signature)) {
    throw new AuthError("malformed service signature");
  }
  if (Math.abs((args.now ?? Date.now()) - Number(timestamp)) > (args.maxSkewMs ?? 30_000)) {
    throw new AuthError("stale service signature");
  }
  const secret = typeof args.secret === "function" ? args.secret(caller) : args.secret;
  checkSecret(secret);
  const expected = mac(secret, caller, timestamp, args.body);
  if (!timingSafeEqual(expected, Buffer.from(signature, "hex"))) throw new AuthError("invalid service signature");
  return caller;
}

/**
 * Each force gets its own secret, derived from the hub's master secret, so a force can
 * sign only in its own name: knowing KENT's secret does not let NORFOLK's pointers be forged.
 */
export function deriveServiceSecret(master: string, caller: string): string {
  checkSecret(master);
  if (!CALLER.test(caller)) throw new Error(`invalid service caller name: ${JSON.stringify(caller)}`);
  return createHmac("sha256", master).update(`interforce-service:${caller}`).digest("hex");
}
