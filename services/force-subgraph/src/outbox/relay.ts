import type { DataSource } from "typeorm";
import { HUB_SERVICE, signServiceRequest } from "@interforce/auth";
import { firstIssue, OUTBOX_RELAY_PATH, OutboxBatchAck, parseOutboxEvent, type OutboxBatch } from "@interforce/contracts";
import { scrapedGauges, type Logger } from "@interforce/server-kit";
import { OutboxRow } from "../db/entities.js";

const BATCH = 100;
const PASS_MS = 1000;

/**
 * Relays outbox events to the hub's selector index. At-least-once: a row is marked
 * published only after the hub acknowledged it, and the hub ignores an event id it has
 * already applied, so a crash between the two steps costs a resend, never a loss or a
 * duplicate. Each row is read back through the contract (rows written before events
 * carried `type` included) and sent as the current event; a row that does not parse is
 * logged, counted in `attempts` and left unsent, and the rows after it still go.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private stopped = false;

  constructor(private readonly opts: { db: DataSource; hubUrl: string; org: string; secret: string; intervalMs: number; log: Logger }) {}

  start(): void {
    const loop = async () => {
      try {
        await this.drain();
      } catch (err) {
        this.opts.log.warn({ err: (err as Error).message }, "outbox relay: hub unreachable, will retry");
      }
      if (this.stopped) return;
      this.timer = setTimeout(loop, this.opts.intervalMs);
      this.timer.unref();
    };
    void loop();
  }

  /** Sends no batch after the one in flight, and resolves once that one is done (sent or failed). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Sends pending events until none is left; returns how many were relayed. */
  async drain(): Promise<number> {
    this.running ??= this.drainAll().finally(() => (this.running = undefined));
    return this.running;
  }

  private async drainAll(): Promise<number> {
    let total = 0;
    // Rows that do not parse are passed over for the rest of this drain, so one bad row cannot hold the rest back.
    const skipped: string[] = [];
    // Rows commit out of seq order (concurrent writers), so a pass in seq order can step over one not yet committed:
    // each pass ends by reading again from the start, and a long pass under load starts again every second, so no
    // row waits longer than about a second behind the others.
    let after = "0";
    let passStart = Date.now();
    for (;;) {
      if (this.stopped) return total;
      if (after !== "0" && Date.now() - passStart > PASS_MS) {
        after = "0";
        passStart = Date.now();
      }
      const rows = await this.opts.db
        .getRepository(OutboxRow)
        .createQueryBuilder("o")
        .where("o.published_at IS NULL")
        .andWhere("o.seq > :after", { after })
        .andWhere("NOT (o.seq = ANY(:skipped))", { skipped })
        .orderBy("o.seq", "ASC")
        .limit(BATCH)
        .getMany();
      if (rows.length === 0) {
        if (after === "0") return total;
        after = "0";
        passStart = Date.now();
        continue;
      }
      after = rows[rows.length - 1]!.seq;
      const batch: OutboxBatch = { events: [] };
      const sent: typeof rows = [];
      const malformed: string[] = [];
      for (const row of rows) {
        const parsed = parseOutboxEvent(row.payload);
        if (parsed.ok) {
          batch.events.push(parsed.event);
          sent.push(row);
        } else {
          malformed.push(row.seq);
          skipped.push(row.seq);
          this.opts.log.error(
            { seq: row.seq, eventId: row.eventId, topic: row.topic, reason: parsed.reason },
            "outbox relay: event does not match the contract, not sent",
          );
        }
      }
      if (malformed.length) await this.opts.db.query(`UPDATE outbox SET attempts = attempts + 1 WHERE seq = ANY($1)`, [malformed]);
      if (sent.length === 0) continue;
      const body = JSON.stringify(batch);
      const url = new URL(`${this.opts.hubUrl}${OUTBOX_RELAY_PATH}`);
      const headers = signServiceRequest({
        secret: this.opts.secret,
        caller: this.opts.org,
        target: HUB_SERVICE,
        method: "POST",
        path: `${url.pathname}${url.search}`,
        body,
      });
      const res = await fetch(url, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body,
        signal: AbortSignal.timeout(5000),
      });
      const seqs = sent.map((r) => r.seq);
      if (!res.ok) {
        await this.opts.db.query(`UPDATE outbox SET attempts = attempts + 1 WHERE seq = ANY($1)`, [seqs]);
        throw new Error(`hub refused the batch with HTTP ${res.status}: ${await res.text()}`);
      }
      await this.opts.db.query(`UPDATE outbox SET published_at = now(), attempts = attempts + 1 WHERE seq = ANY($1)`, [seqs]);
      const ack = OutboxBatchAck.safeParse(await res.json().catch(() => null));
      if (!ack.success) this.opts.log.warn({ reason: firstIssue(ack.error) }, "outbox relay: the hub's acknowledgement does not match the contract");
      this.opts.log.info({ events: sent.length, ...(ack.success ? ack.data : {}) }, "outbox relayed to the hub index");
      total += sent.length;
    }
  }
}

/**
 * Outbox lag, read from the database when /metrics is scraped: events not yet acknowledged by the
 * hub and the age of the oldest (0 when none waits). Rows queue while the hub is down and drain
 * once it is back, so a growing age is the hub (or the relay) not keeping up.
 */
export function outboxGauges(db: DataSource): void {
  scrapedGauges(
    {
      pending: { name: "interforce_outbox_unrelayed_events", help: "Outbox events not yet acknowledged by the hub's index" },
      oldest: { name: "interforce_outbox_oldest_unrelayed_age_seconds", help: "Age of the oldest outbox event not yet acknowledged by the hub (0 when none)" },
    },
    async () => {
      const [row] = (await db.query(
        `SELECT count(*)::int AS pending, COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 AS oldest FROM outbox WHERE published_at IS NULL`,
      )) as { pending: number; oldest: number }[];
      return { pending: row?.pending ?? 0, oldest: row?.oldest ?? 0 };
    },
  );
}
