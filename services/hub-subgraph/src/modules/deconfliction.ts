import { randomUUID } from "node:crypto";
import { In, type DataSource, type EntityManager } from "typeorm";
import { decide, isAgreementInForce } from "@interforce/policy";
import { PointerRow } from "../db/entities.js";
import { pointerRecord } from "./access-requests.js";
import { loadAgreements } from "./agreements.js";
import { isDesk } from "./monitoring-picture.js";
import { DECONFLICTION_DESK_ORG, findOrg, type Principal } from "@interforce/domain";
import { forbidden, notFound } from "@interforce/server-kit";


async function raise(
  m: EntityManager | DataSource,
  a: { trigger: "RECORD" | "SEARCH"; selector: string; holderOrg: string; holderRecordId: string; holderCovert: boolean; otherOrg: string; otherRecordId: string; otherCovert: boolean },
): Promise<void> {
  await m.query(
    `INSERT INTO deconfliction_alert (id, trigger, selector, holder_org, holder_record_id, holder_covert, other_org, other_record_id, other_covert)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (trigger, selector, holder_record_id, other_org, other_record_id)
     DO UPDATE SET last_at = now(), occurrences = deconfliction_alert.occurrences + 1, holder_covert = EXCLUDED.holder_covert, other_covert = EXCLUDED.other_covert`,
    [randomUUID(), a.trigger, a.selector, a.holderOrg, a.holderRecordId, a.holderCovert, a.otherOrg, a.otherRecordId, a.otherCovert],
  );
}

/** A force recorded selectors another org already holds: both SPOCs are told. */
export async function raiseOnRecord(m: EntityManager, rec: { recordId: string; org: string; covert: boolean; selectors: string[] }): Promise<void> {
  const holders: { record_id: string; org: string; covert: boolean; selector: string }[] = await m.query(
    `SELECT record_id, org, covert, selector FROM selector_pointer WHERE selector = ANY($1) AND org <> $2`,
    [rec.selectors, rec.org],
  );
  for (const h of holders) {
    await raise(m, {
      trigger: "RECORD",
      selector: h.selector,
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
export async function raiseOnSearch(db: DataSource, searcherOrg: string, matches: { recordId: string; org: string; covert: boolean; selector: string }[]): Promise<void> {
  for (const h of matches) {
    if (h.org === searcherOrg) continue;
    await raise(db, {
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
export function alertView(a: VisibleAlert, org: string) {
  const holder = a.holder_org === org;
  const counterpartOrg = holder ? a.other_org : a.holder_org;
  const counterpartCovert = (holder ? a.other_covert : a.holder_covert) || !a.partners;
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
    selector: a.selector,
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

const ALERT_READERS = ["ANALYST", "FORCE_ADMIN"] as const;

export function requireAlertReader(p: Principal): void {
  if (!p.roles.some((r) => (ALERT_READERS as readonly string[]).includes(r))) {
    throw forbidden("Deconfliction alerts are for analysts and force admins");
  }
}

/**
 * The alerts a principal may see. An alert about the org's own covert record goes only to
 * its officers with the covert claim. A search that matched only a covert record leaves the
 * searcher exactly as if nobody held the selector: the owner is told and the CEOP desk
 * brokers any contact, so the search itself discloses no covert interest.
 */
export async function listAlerts(db: DataSource, p: Principal, acknowledged: boolean | null, limit: number, offset: number): Promise<VisibleAlert[]> {
  requireAlertReader(p);
  const partners = await partnersNow(db);
  return scanAlerts(
    db,
    `${PARTY_SQL} AND ($2::boolean IS NULL OR (CASE WHEN a.holder_org = $1 THEN a.holder_ack_at ELSE a.other_ack_at END IS NOT NULL) = $2)`,
    [p.org, acknowledged, p.covert],
    (rows) => visibleAlerts(db, p, rows, partners),
    limit,
    offset,
  );
}

/**
 * Alerts matching `where` (over `params`), most recent activity first, of which `keep`
 * returns those to show. `offset` counts kept alerts, so pages are full and none is skipped
 * or repeated however many rows `keep` withholds; rows are read in batches.
 */
async function scanAlerts(
  db: DataSource,
  where: string,
  params: unknown[],
  keep: (rows: AlertRow[]) => VisibleAlert[] | Promise<VisibleAlert[]>,
  limit: number,
  offset: number,
): Promise<VisibleAlert[]> {
  const BATCH = 200;
  const seen: VisibleAlert[] = [];
  for (let raw = 0; seen.length < offset + limit; raw += BATCH) {
    const rows: AlertRow[] = await db.query(
      `SELECT * FROM deconfliction_alert a WHERE ${where} ORDER BY a.last_at DESC, a.id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, BATCH, raw],
    );
    seen.push(...(await keep(rows)));
    if (rows.length < BATCH) break;
  }
  return seen.slice(offset, offset + limit);
}

/** Whether an agreement in force now binds two orgs. */
async function partnersNow(db: DataSource): Promise<(a: string, b: string) => boolean> {
  const now = new Date();
  const inForce = (await loadAgreements(db)).filter((a) => isAgreementInForce(a, now));
  return (a, b) => inForce.some((x) => x.members.includes(a) && x.members.includes(b));
}

/**
 * Which side of an alert the principal's org is on, and whether it may see it at all: an
 * alert about the org's own covert record goes only to its officers with the covert claim,
 * and a searcher is never told of a search that matched only a covert record. $1 is the
 * principal's org and $3 its covert claim.
 */
const PARTY_SQL = `((a.holder_org = $1 AND (NOT a.holder_covert OR $3))
     OR (a.other_org = $1 AND (NOT a.other_covert OR $3) AND NOT (a.trigger = 'SEARCH' AND a.holder_covert)))`;

/**
 * The rows of `rows` the principal may see, with whether the two orgs are partners. An alert
 * names the principal's own record: only someone who may read that record sees it
 * (clearance, covert claim), so alerts disclose nothing the force's own policy withholds.
 * A searcher outside any agreement in force with the holder is not told of its search: the
 * search answered nothing, and neither does the alert list (the holder is told, unnamed).
 */
async function visibleAlerts(db: DataSource, p: Principal, rows: AlertRow[], partners: (a: string, b: string) => boolean): Promise<VisibleAlert[]> {
  if (rows.length === 0) return [];
  const own = rows.map((r) => (r.holder_org === p.org ? r.holder_record_id : r.other_record_id)).filter(Boolean);
  const pointers = own.length ? await db.getRepository(PointerRow).findBy({ recordId: In(own) }) : [];
  const markings = new Map(pointers.map((x) => [x.recordId, x]));
  const inputs = { agreements: [], grants: [], now: new Date() };
  return rows
    .map((r) => ({ ...r, partners: partners(r.holder_org, r.other_org) }))
    .filter((r) => {
      if (r.trigger === "SEARCH" && r.other_org === p.org && !r.partners) return false;
      const id = r.holder_org === p.org ? r.holder_record_id : r.other_record_id;
      if (!id) return true;
      const pointer = markings.get(id);
      return pointer !== undefined && decide(p, pointerRecord(pointer), inputs).level === "FULL";
    });
}

/** Acknowledges for the principal's org an alert it may see; any other id is not found and nothing changes. */
export async function acknowledgeAlert(db: DataSource, p: Principal, id: string): Promise<VisibleAlert> {
  requireAlertReader(p);
  const by = `${p.sub}@${p.org}`;
  return db.transaction("READ COMMITTED", async (m) => {
    const found: AlertRow[] = await m.query(`SELECT * FROM deconfliction_alert a WHERE a.id = $2 AND ${PARTY_SQL} FOR UPDATE`, [p.org, id, p.covert]);
    const visible = await visibleAlerts(db, p, found, await partnersNow(db));
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

/** The CEOP deconfliction desk (CEOP analysts and force admins) holding the covert claim. */
export function requireDeconflictionDesk(p: Principal): void {
  if (!isDesk(p) || !p.covert) {
    throw forbidden("This list is for the CEOP deconfliction desk (CEOP analysts and force admins with the covert claim)");
  }
}

/**
 * The alerts the desk brokers: those where a side was told to contact it instead of the
 * other org — one side covert, or the two orgs outside any agreement in force — most recent
 * activity first. `offset` counts such alerts.
 */
export async function listDeskAlerts(db: DataSource, p: Principal, acknowledged: boolean | null, limit: number, offset: number): Promise<VisibleAlert[]> {
  requireDeconflictionDesk(p);
  const partners = await partnersNow(db);
  return scanAlerts(
    db,
    `($1::boolean IS NULL OR ((a.holder_ack_at IS NOT NULL AND a.other_ack_at IS NOT NULL) = $1))`,
    [acknowledged],
    (rows) =>
      rows
        .map((r) => ({ ...r, partners: partners(r.holder_org, r.other_org) }))
        .filter((v) => v.holder_covert || v.other_covert || !v.partners),
    limit,
    offset,
  );
}

/** What the desk sees of an alert: both orgs and their SPOCs, never the records. */
export function deskAlertView(a: VisibleAlert) {
  const holder = findOrg(a.holder_org)!;
  const other = findOrg(a.other_org)!;
  return {
    id: a.id,
    trigger: a.trigger,
    selector: a.selector,
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
