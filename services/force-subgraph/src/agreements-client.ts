import type { Agreement } from "@interforce/policy";
import { signServiceRequest } from "@interforce/auth";
import type { Logger } from "@interforce/server-kit";

interface WireAgreement extends Omit<Agreement, "validFrom" | "validTo"> {
  validFrom: string;
  validTo: string | null;
}

/**
 * The force's copy of the hub's joint-monitoring agreements. Refreshed in the background;
 * a copy older than `maxStaleMs` is not used (cross-force reads then fail closed to NONE),
 * so a revocation at the hub is in force here within maxStaleMs.
 */
export class AgreementsClient {
  private agreements: Agreement[] = [];
  private fetchedAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private inflight: Promise<void> | undefined;

  constructor(
    private readonly opts: { hubUrl: string; caller: string; secret: string; refreshMs: number; maxStaleMs: number; log: Logger },
  ) {}

  start(): void {
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.opts.refreshMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async current(now = Date.now()): Promise<Agreement[]> {
    if (now - this.fetchedAt > this.opts.maxStaleMs) await this.refresh();
    if (Date.now() - this.fetchedAt > this.opts.maxStaleMs) {
      this.opts.log.warn("agreements unavailable from the hub; cross-force access denied");
      return [];
    }
    return this.agreements;
  }

  refresh(): Promise<void> {
    this.inflight ??= this.load().finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  private async load(): Promise<void> {
    try {
      const headers = signServiceRequest({ secret: this.opts.secret, caller: this.opts.caller, body: "" });
      const res = await fetch(`${this.opts.hubUrl}/internal/agreements`, {
        headers,
        signal: AbortSignal.timeout(2000),
      });
      if (!res.ok) throw new Error(`hub answered ${res.status}`);
      const body = (await res.json()) as { agreements: WireAgreement[] };
      this.agreements = body.agreements.map((a) => ({
        ...a,
        validFrom: new Date(a.validFrom),
        validTo: a.validTo ? new Date(a.validTo) : null,
      }));
      this.fetchedAt = Date.now();
    } catch (err) {
      this.opts.log.debug({ err }, "agreements refresh failed");
    }
  }
}
