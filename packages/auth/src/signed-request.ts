/**
 * What the two request signatures (gateway → subgraph in gateway-signature.ts, service →
 * service in service-signature.ts) share: where the headers come from, and the guard that
 * refuses a nonce seen before. A file of its own so that neither scheme imports the other.
 */

/** Node's IncomingHttpHeaders (lower-cased names) or a Fetch `Headers`. */
export type HeaderSource = Headers | Record<string, string | string[] | undefined>;

/**
 * How long a nonce is remembered by default: longer than either scheme accepts a timestamp
 * (the gateway's window, 30 s either side, is the wider), so a replay is always refused.
 */
const DEFAULT_TTL_MS = 2 * 30_000 + 5_000;

/**
 * Where a receiver records the nonces it has accepted: in memory for one process
 * (`ReplayGuard`), or in a store every replica shares (`SharedNonces` in @interforce/db).
 */
export interface NonceGuard {
  /** Records the nonce; false if it was seen already (or cannot be recorded: fail closed). */
  admit(nonce: string, now: number): boolean | Promise<boolean>;
}

/**
 * Nonces of accepted calls, kept until their timestamp can no longer be accepted; a second
 * call with the same nonce is a replay. Bounded: when full it refuses, failing closed, which
 * only a flood of genuine gateway calls could cause.
 */
export class ReplayGuard implements NonceGuard {
  private readonly seen = new Map<string, number>();

  constructor(private readonly opts: { ttlMs?: number; maxEntries?: number } = {}) {}

  /** Records the nonce; false if it was seen already (or the guard is full). */
  admit(nonce: string, now: number = Date.now()): boolean {
    this.sweep(now);
    if (this.seen.has(nonce)) return false;
    if (this.seen.size >= (this.opts.maxEntries ?? 500_000)) return false;
    this.seen.set(nonce, now + (this.opts.ttlMs ?? DEFAULT_TTL_MS));
    return true;
  }

  get size(): number {
    return this.seen.size;
  }

  private sweep(now: number): void {
    // Entries go in roughly in expiry order, so expired ones sit at the front.
    for (const [nonce, expires] of this.seen) {
      if (expires > now) break;
      this.seen.delete(nonce);
    }
  }
}
