import { randomUUID } from "node:crypto";
import { keyedSelector, openSelector, sealSelector, type SelectorKeyRing } from "@interforce/auth";
import { exactTime } from "./cursor.js";
import { In, type DataSource, type EntityManager } from "typeorm";
import {
  alertSide,
  alertSqlPredicate,
  arePartners,
  counterpartNamed,
  DECONFLICTION_DESK_ORG,
  mayKnowDeskAlert,
  positional,
  type AlertFacts,
  type AlertSide,
} from "@interforce/policy";
import { PointerRow } from "../db/entities.js";
import { pointerRecord } from "./access-requests.js";
import { loadAgreements } from "./agreements.js";
import { findOrg, type Principal } from "@interforce/domain";
import { notFound } from "@interforce/server-kit";

async function raise(
  m: EntityManager | DataSource,
  keys: SelectorKeyRing,
  a: {
    trigger: "RECORD" | "SEARCH";
    selector: string;
    holderOrg: string;
    holderRecordId: string;
    holderCovert: boolean;
    otherOrg: string;
    otherRecordId: string;
    otherCovert: boolean;
  },
): Promise<void> {
  await m.query(
    `INSERT INTO deconfliction_alert (id, trigger, selector, selector_sealed, holder_org, holder_record_id, holder_covert, other_org, other_record_id, other_covert)
     VALUES ($1, $2, $3, $10, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (trigger, selector, holder_record_id, other_org, other_record_id)
     DO UPDATE SET last_at = now(), occurrences = deconfliction_alert.occurrences + 1, holder_covert = EXCLUDED.holder_covert, other_covert = EXCLUDED.other_covert`,
    [
      randomUUID(),
      a.trigger,
      keyedSelector(keys.current, a.selector),
      a.holderOrg,
      a.holderRecordId,
      a.holderCovert,
      a.otherOrg,
      a.otherRecordId,
      a.otherCovert,
      sealSelector(keys, a.selector),
    ],
  );
}

/** A force recorded selectors another org already holds (indexed under any key of the ring): both SPOCs are told. */
export async function raiseOnRecord(
  m: EntityManager,
  keys: SelectorKeyRing,
  rec: { recordId: string; org: string; covert: boolean; selectors: string[] },
): Promise<void> {
  const plainOf = new Map(rec.selectors.flatMap((s) => keys.keys.map((k) => [keyedSelector(k, s), s] as const)));
  const holders: { record_id: string; org: string; covert: boolean; selector: string }[] = await m.query(
    `SELECT record_id, org, covert, selector FROM selector_pointer WHERE selector = ANY($1) AND org <> $2`,
    [[...plainOf.keys()], rec.org],
  );
  for (const h of holders) {
    await raise(m, keys, {
      trigger: "RECORD",
      selector: plainOf.get(h.selector)!,
      holderOrg: h.org,
      holderRecordId: h.record_id,
      holderCovert: h.covert,
      otherOrg: rec.org,
      otherRecordId: rec.recordId,
      otherCovert: rec.covert,
    });
  }
}

/** A principal searched a selector other orgs hold (covert holders included: they must know). */
export async function raiseOnSearch(
  db: DataSource,
  keys: SelectorKeyRing,
  searcherOrg: string,
  matches: { recordId: string; org: string; covert: boolean; selector: string }[],
): Promise<void> {
  for (const h of matches) {
    if (h.org === searcherOrg) continue;
    await raise(db, keys, {
      trigger: "SEARCH",
      selector: h.selector,
      holderOrg: h.org,
      holderRecordId: h.recordId,
      holderCovert: h.covert,
      otherOrg: searcherOrg,
      otherRecordId: "",
      otherCovert: false,
    });
  }
}

export interface AlertRow {
  id: string;
  trigger: "RECORD" | "SEARCH";
  selector: string;
  selector_sealed: string;
  holder_org: string;
  holder_record_id: string;
  holder_covert: boolean;
  other_org: string;
  other_record_id: string;
  other_covert: boolean;
  first_at: Date;
  last_at: Date;
  occurrences: number;
  holder_ack_at: Date | null;
  holder_ack_by: string | null;
  other_ack_at: Date | null;
  other_ack_by: string | null;
}

/** An alert as one org may see it: `partners` when an agreement in force binds both orgs. */
export type VisibleAlert = AlertRow & { partners: boolean };

/**
 * What one side of an alert may know. A covert counterpart, or one outside any agreement in
 * force with this org, is never named: that side is told only to call the CEOP deconfliction
 * desk, which brokers the contact.
 */
export function alertView(a: VisibleAlert, org: string, keys: SelectorKeyRing) {
  const holder = a.holder_org === org;
  const counterpartOrg = holder ? a.other_org : a.holder_org;
  const counterpartCovert = !counterpartNamed(facts(a), holder ? "holder" : "other");
  const desk = findOrg(DECONFLICTION_DESK_ORG)!;
  const counterpart = findOrg(counterpartOrg)!;
  const yourRecord = holder ? a.holder_record_id : a.other_record_id;
  const advice = counterpartCovert
    ? "Another operation has an interest in this selector. Contact the CEOP deconfliction desk before acting."
    : a.trigger === "SEARCH" && holder
      ? `${counterpart.name} searched a selector you hold. Contact their SPOC before acting.`
      : `${counterpart.name} holds this selector too. Contact their SPOC before acting.`;
  return {
    id: a.id,
    trigger: a.trigger,
    selector: openSelector(keys, a.selector_sealed) ?? "",
    raisedAt: a.first_at,
    lastAt: a.last_at,
    occurrences: a.occurrences,
    yourRecordId: yourRecord || null,
    counterpartOrg: counterpartCovert ? null : counterpartOrg,
    contact: counterpartCovert ? desk.spoc : counterpart.spoc,
    advice,
    acknowledgedAt: holder ? a.holder_ack_at : a.other_ack_at,
    acknowledgedBy: holder ? a.holder_ack_by : a.other_ack_by,
  };
}

const facts = (r: AlertRow & { partners: boolean }): AlertFacts => ({
  trigger: r.trigger,
  holderOrg: r.holder_org,
  holderCovert: r.holder_covert,
  otherOrg: r.other_org,
  otherCovert: r.other_covert,
  partners: r.partners,
});

/** The alerts a principal may see (the alert rule of @interforce/policy), most recent activity first. */
export async function listAlerts(db: DataSource, p: Principal, acknowledged: boolean | null, limit: number, after: AlertKey | null): Promise<AlertPage> {
  const party = positional(alertSqlPredicate(p, "a"), 1);
  const n = party.values.length;
  return scanAlerts(
    db,
    `${party.text} AND ($${n + 1}::boolean IS NULL OR (CASE WHEN a.holder_org = $${n + 2} THEN a.holder_ack_at ELSE a.other_ack_at END IS NOT NULL) = $${n + 1})`,
    [...party.values, acknowledged, p.org],
    (rows) => visibleAlerts(db, p, rows),
    limit,
    after,
  );
}

/** Where a page of alerts ends: the last activity (as PostgreSQL holds it, to the microsecond) and id of its last alert. */
export type AlertKey = { t: string; id: string };
export type AlertPage = { nodes: VisibleAlert[]; hasNextPage: boolean; endKey: AlertKey | null };

/**
 * Alerts matching `where` (over `params`), most recent activity first, after `after`, of which
 * `keep` returns those to show. Rows are read in batches until the page is full, so pages are
 * full and none is skipped or repeated however many rows `keep` withholds; the page ends at its
 * last kept alert.
 */
async function scanAlerts(
  db: DataSource,
  where: string,
  params: unknown[],
  keep: (rows: AlertRow[]) => VisibleAlert[] | Promise<VisibleAlert[]>,
  limit: number,
  after: AlertKey | null,
): Promise<AlertPage> {
  const BATCH = 200;
  const seen: (VisibleAlert & { last_key: string })[] = [];
  let from = after;
  while (seen.length <= limit) {
    const n = params.length;
    const rows: (AlertRow & { last_key: string })[] = await db.query(
      `SELECT a.*, ${exactTime("a.last_at")} AS last_key FROM deconfliction_alert a
        WHERE ${where} AND ($${n + 2}::timestamptz IS NULL OR (a.last_at, a.id) < ($${n + 2}::timestamptz, $${n + 3}::uuid))
        ORDER BY a.last_at DESC, a.id DESC LIMIT $${n + 1}`,
      [...params, BATCH, from?.t ?? null, from?.id ?? null],
    );
    const keys = new Map(rows.map((r) => [r.id, r.last_key]));
    seen.push(...(await keep(rows)).map((v) => ({ ...v, last_key: keys.get(v.id)! })));
    if (rows.length < BATCH) break;
    const last = rows.at(-1)!;
    from = { t: last.last_key, id: last.id };
  }
  const page = seen.slice(0, limit);
  const end = page.at(-1);
  return {
    nodes: page.map(({ last_key: _key, ...alert }) => alert),
    hasNextPage: seen.length > limit,
    endKey: end ? { t: end.last_key, id: end.id } : null,
  };
}

/** The partner test of @interforce/policy over the agreements as they stand now. */
async function partnersNow(db: DataSource): Promise<(a: string, b: string) => boolean> {
  const now = new Date();
  const agreements = await loadAgreements(db);
  return (a, b) => arePartners(agreements, a, b, now);
}

/** The rows of `rows` the principal may see by the alert rule, with whether the two orgs are partners. */
async function visibleAlerts(db: DataSource, p: Principal, rows: AlertRow[]): Promise<VisibleAlert[]> {
  if (rows.length === 0) return [];
  const partners = await partnersNow(db);
  const own = rows.flatMap((r) => [r.holder_record_id, r.other_record_id]).filter(Boolean);
  const pointers = own.length ? await db.getRepository(PointerRow).findBy({ recordId: In(own) }) : [];
  const markings = new Map(pointers.map((x) => [x.recordId, x]));
  return rows
    .map((r) => ({ ...r, partners: partners(r.holder_org, r.other_org) }))
    .filter((r) => {
      const ownRecord = (side: AlertSide) => {
        const id = side === "holder" ? r.holder_record_id : r.other_record_id;
        if (!id) return "none" as const;
        const pointer = markings.get(id);
        return pointer ? pointerRecord(pointer) : null;
      };
      return alertSide(p, facts(r), ownRecord) !== null;
    });
}

/** Acknowledges for the principal's org an alert it may see; any other id is not found and nothing changes. */
export async function acknowledgeAlert(db: DataSource, p: Principal, id: string): Promise<VisibleAlert> {
  const by = `${p.sub}@${p.org}`;
  return db.transaction("READ COMMITTED", async (m) => {
    const found: AlertRow[] = await m.query(`SELECT * FROM deconfliction_alert a WHERE a.id = $1 FOR UPDATE`, [id]);
    const visible = await visibleAlerts(db, p, found);
    if (!visible.length) throw notFound("No deconfliction alert of your org with that id");
    const [rows] = (await m.query(
      `UPDATE deconfliction_alert SET
         holder_ack_at = CASE WHEN holder_org = $2 AND holder_ack_at IS NULL THEN now() ELSE holder_ack_at END,
         holder_ack_by = CASE WHEN holder_org = $2 AND holder_ack_at IS NULL THEN $3 ELSE holder_ack_by END,
         other_ack_at = CASE WHEN other_org = $2 AND other_ack_at IS NULL THEN now() ELSE other_ack_at END,
         other_ack_by = CASE WHEN other_org = $2 AND other_ack_at IS NULL THEN $3 ELSE other_ack_by END
       WHERE id = $1 RETURNING *`,
      [id, p.org, by],
    )) as [AlertRow[], number];
    return { ...rows[0]!, partners: visible[0]!.partners };
  });
}

/**
 * The alerts the desk brokers: those where a side was told to contact it instead of the
 * other org — one side covert, or the two orgs outside any agreement in force — most recent
 * activity first.
 */
export async function listDeskAlerts(db: DataSource, p: Principal, acknowledged: boolean | null, limit: number, after: AlertKey | null): Promise<AlertPage> {
  const partners = await partnersNow(db);
  return scanAlerts(
    db,
    `($1::boolean IS NULL OR ((a.holder_ack_at IS NOT NULL AND a.other_ack_at IS NOT NULL) = $1))`,
    [acknowledged],
    (rows) => rows.map((r) => ({ ...r, partners: partners(r.holder_org, r.other_org) })).filter((v) => mayKnowDeskAlert(p, facts(v))),
    limit,
    after,
  );
}

/** What the desk sees of an alert: both orgs and their SPOCs, never the records. */
export function deskAlertView(a: VisibleAlert, keys: SelectorKeyRing) {
  const holder = findOrg(a.holder_org)!;
  const other = findOrg(a.other_org)!;
  return {
    id: a.id,
    trigger: a.trigger,
    selector: openSelector(keys, a.selector_sealed) ?? "",
    raisedAt: a.first_at,
    lastAt: a.last_at,
    occurrences: a.occurrences,
    holderOrg: holder.code,
    holderCovert: a.holder_covert,
    holderContact: holder.spoc,
    otherOrg: other.code,
    otherCovert: a.other_covert,
    otherContact: other.spoc,
    partners: a.partners,
    holderAcknowledgedAt: a.holder_ack_at,
    otherAcknowledgedAt: a.other_ack_at,
  };
}

/**
 * After a selector key rotation, alerts keyed under an older key of the ring are keyed and sealed again under the
 * current one (the hub does it at start), so they stay readable and deduplicated once the old key is dropped.
 */
export async function rekeyAlerts(db: DataSource, keys: SelectorKeyRing): Promise<number> {
  const stale: { id: string; selector_sealed: string }[] = await db.query(
    `SELECT id, selector_sealed FROM deconfliction_alert WHERE selector_sealed NOT LIKE $1`,
    [`s1.${keys.current.id}.%`],
  );
  let done = 0;
  for (const a of stale) {
    const plain = openSelector(keys, a.selector_sealed);
    if (plain === null) continue;
    // An alert the same parties already have under the current key is left as it is (readable while its key is in the ring).
    const updated: unknown[] = await db.query(
      `UPDATE deconfliction_alert a SET selector = $2, selector_sealed = $3 WHERE a.id = $1 AND NOT EXISTS (
         SELECT 1 FROM deconfliction_alert b WHERE b.trigger = a.trigger AND b.selector = $2 AND b.holder_record_id = a.holder_record_id
           AND b.other_org = a.other_org AND b.other_record_id = a.other_record_id) RETURNING a.id`,
      [a.id, keyedSelector(keys.current, plain), sealSelector(keys, plain)],
    );
    done += updated.length;
  }
  return done;
}
