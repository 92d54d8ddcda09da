import type { Agreement, Grant, PolicyInputs } from "@interforce/policy";
import { HUB_SERVICE, signServiceRequest } from "@interforce/auth";
import { firstIssue, POLICY_FEED_PATH, PolicyFeedResponse } from "@interforce/contracts";
import type { Logger } from "@interforce/server-kit";

/**
 * The force's copy of the hub's agreements and of the grants on its own records.
 * Refreshed every `refreshMs`; a copy older than `maxStaleMs` is never used (cross-force
 * reads then fail closed to NONE), so a revocation at the hub is in force here within
 * refreshMs plus one round trip, and never later than maxStaleMs. A feed that does not
 * match the contract is not used: the copy held ages out as if the hub were down.
 */
export class PolicyClient {
  private agreements: Agreement[] = [];
  private grants: Grant[] = [];
  private fetchedAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private inflight: Promise<void> | undefined;
  private lastLoadOk = false;

  constructor(private readonly opts: { hubUrl: string; caller: string; secret: string; refreshMs: number; maxStaleMs: number; log: Logger }) {}

  start(): void {
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.opts.refreshMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async inputs(): Promise<PolicyInputs> {
    if (Date.now() - this.fetchedAt > this.opts.maxStaleMs) await this.refresh();
    const now = new Date();
    if (now.getTime() - this.fetchedAt > this.opts.maxStaleMs) {
      this.opts.log.warn("agreements unavailable from the hub; cross-force access denied");
      return { agreements: [], grants: [], now };
    }
    return { agreements: this.agreements, grants: this.grants, now };
  }

  /** Whether the hub answered the last refresh with a feed that was used (reported by /ready, never required by it). */
  get hubReachable(): boolean {
    return this.lastLoadOk;
  }

  refresh(): Promise<void> {
    this.inflight ??= this.load().finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  private async load(): Promise<void> {
    try {
      const url = new URL(`${this.opts.hubUrl}${POLICY_FEED_PATH}`);
      const headers = signServiceRequest({
        secret: this.opts.secret,
        caller: this.opts.caller,
        target: HUB_SERVICE,
        method: "GET",
        path: `${url.pathname}${url.search}`,
        body: "",
      });
      const res = await fetch(url, { headers, signal: AbortSignal.timeout(2000) });
      if (!res.ok) throw new Error(`hub answered ${res.status}`);
      const feed = PolicyFeedResponse.safeParse(await res.json());
      if (!feed.success) {
        this.opts.log.warn({ reason: firstIssue(feed.error) }, "policy feed from the hub does not match the contract; not used");
        this.lastLoadOk = false;
        return;
      }
      this.agreements = feed.data.agreements;
      this.grants = feed.data.grants;
      this.fetchedAt = Date.now();
      this.lastLoadOk = true;
    } catch (err) {
      this.lastLoadOk = false;
      this.opts.log.debug({ err }, "policy refresh failed");
    }
  }
}
