import type { Principal } from "@interforce/domain";
import { decide } from "./decide.js";
import { isDeconflictionDesk } from "./roles.js";
import type { PolicyRecord } from "./types.js";
import type { SqlPredicate } from "./visibility-sql.js";

/** What the rules need of a deconfliction alert (the hub's row). */
export interface AlertFacts {
  trigger: "RECORD" | "SEARCH";
  holderOrg: string;
  holderCovert: boolean;
  otherOrg: string;
  otherCovert: boolean;
  /** Whether an agreement in force binds the two orgs. */
  partners: boolean;
}

export type AlertSide = "holder" | "other";

/**
 * Which side of an alert the principal's org is on, or null when the alert is not theirs to
 * know of:
 * - an alert about the org's own covert record goes only to its principals with the claim;
 * - a search that matched only a covert record leaves the searcher exactly as if nobody held
 *   the selector (the holder is told; the CEOP desk brokers any contact);
 * - a searcher outside any agreement in force with the holder is not told of its search:
 *   the search answered nothing, and neither does the alert list.
 * `ownRecord(side)` gives the markings of the principal's own record that the alert names on
 * that side: "none" when it names none (the searcher of a search), null when the record is
 * no longer known (erased). An alert naming a record the principal may not read in full is
 * withheld, so alerts disclose nothing the force's own policy withholds.
 */
export function alertSide(p: Principal, a: AlertFacts, ownRecord: (side: AlertSide) => PolicyRecord | null | "none"): AlertSide | null {
  if (!(p.roles.includes("ANALYST") || p.roles.includes("FORCE_ADMIN"))) return null;
  let side: AlertSide | null = null;
  if (a.holderOrg === p.org && (!a.holderCovert || p.covert)) side = "holder";
  else if (a.otherOrg === p.org && (!a.otherCovert || p.covert) && !(a.trigger === "SEARCH" && (a.holderCovert || !a.partners))) side = "other";
  if (side === null) return null;
  const record = ownRecord(side);
  if (record === "none") return side;
  if (record === null) return null;
  // An owner's decision on its own record depends on no agreement, grant or clock.
  return decide(p, record, { agreements: [], grants: [], now: new Date(0) }).level === "FULL" ? side : null;
}

/** Whether the alert's counterpart may be named to `side`: never a covert one, nor one outside any agreement in force. */
export function counterpartNamed(a: AlertFacts, side: AlertSide): boolean {
  const counterpartCovert = side === "holder" ? a.otherCovert : a.holderCovert;
  return !counterpartCovert && a.partners;
}

/**
 * The SQL twin of the side rule's first half (org, covert claim, covert search), over alias
 * `a` of deconfliction_alert; `partners` is applied after, row by row, with the record check.
 */
export function alertSqlPredicate(p: Principal, alias: string): SqlPredicate {
  const a = alias;
  if (!(p.roles.includes("ANALYST") || p.roles.includes("FORCE_ADMIN"))) return { sql: "(1 = 0)", params: {} };
  return {
    sql:
      `((${a}.holder_org = :alOrg AND (NOT ${a}.holder_covert OR :alCovert))` +
      ` OR (${a}.other_org = :alOrg AND (NOT ${a}.other_covert OR :alCovert) AND NOT (${a}.trigger = 'SEARCH' AND ${a}.holder_covert)))`,
    params: { alOrg: p.org, alCovert: p.covert },
  };
}

/**
 * The CEOP deconfliction desk brokers the alerts whose sides were told to contact it instead
 * of each other (a covert side, or orgs outside any agreement in force). Desk principals need
 * the covert claim (the list says who is covert).
 */
export function mayKnowDeskAlert(p: Principal, a: AlertFacts): boolean {
  return isDeconflictionDesk(p) && p.covert && (a.holderCovert || a.otherCovert || !a.partners);
}

/**
 * The desk is told which orgs to put in touch, not what they hold: an alert's selector is
 * content of the records that hold it, shown to the desk only when the owner of one of them
 * lets the desk principal read it (each owner decides `holderReadable` / `otherReadable`).
 */
export function deskMaySeeSelector(readable: { holderReadable: boolean; otherReadable: boolean }): boolean {
  return readable.holderReadable || readable.otherReadable;
}
