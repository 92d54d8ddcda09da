/**
 * How many refused calls without a verified caller are audited one by one: up to `perMinute`
 * a minute across every replica of a service (the budget lives in the service's shared
 * state), the rest logged and counted into the next audited one. A flood of junk must not
 * become a flood of audit rows (the log is append-only and hash-chained: each row costs a
 * lock), and replicas must not multiply the budget.
 */
export interface SharedBudget {
  /** Spends one point of `key`; rejects when the budget is spent (or the store fails). */
  consume(key: string): Promise<unknown>;
}

export class RefusalAuditCap {
  private suppressed = 0;
  private windowStart = 0;
  private inWindow = 0;

  constructor(
    private readonly key: string,
    /** The shared budget; without one (a unit test) a per-process window of `perMinute`. */
    private readonly budget?: SharedBudget,
    private readonly perMinute = 120,
  ) {}

  /**
   * Whether this refusal is audited on its own; if so, how many were suppressed since the
   * last one (then reset). A store failure audits: better a row too many than a refusal unseen.
   */
  async take(): Promise<{ audit: true; suppressed: number } | { audit: false }> {
    let allowed: boolean;
    if (this.budget) {
      allowed = await this.budget.consume(this.key).then(
        () => true,
        (res: unknown) => res instanceof Error,
      );
    } else {
      const now = Date.now();
      if (now - this.windowStart >= 60_000) {
        this.windowStart = now;
        this.inWindow = 0;
      }
      allowed = this.inWindow < this.perMinute;
      if (allowed) this.inWindow++;
    }
    if (!allowed) {
      this.suppressed++;
      return { audit: false };
    }
    const suppressed = this.suppressed;
    this.suppressed = 0;
    return { audit: true, suppressed };
  }
}
