/**
 * The access rules for everything the API returns besides the three records: monitoring
 * assignments, sightings, deconfliction alerts, desk alerts, access requests, agreements,
 * audit events and explanations. Written out independently of packages/policy and of the
 * services' code (neither is imported); the records' own rule comes from ./spec.ts, which is
 * independent in the same way. test/authz/matrix-owned.test.ts compares what the running
 * federation answers against these functions.
 *
 * Every rule is a member of one object (OWNED_SPEC) so the matrix can also evaluate
 * deliberately broken variants of it and show that its cases tell each part of a rule apart.
 */
import { CLASSIFICATIONS, expectedLevel, inForce, type Cls, type Level, type Role, type SpecAgreement, type SpecPrincipal, type SpecRecord } from "./spec.js";

export const DESK_ORG = "CEOP";
/** The force whose namespace the audit trail and explanations are read in. */
export const AUDITED_ORG = "KENT";

/** Roles that read their own org's intelligence (POLICY_ADMIN manages agreements only). */
const OWN_ORG_READERS: readonly Role[] = ["OFFICER", "ANALYST", "FORCE_ADMIN", "SERVICE"];
/** Roles that may write into their own org's namespace (README: writes only by that org's principals). */
const WRITERS: readonly Role[] = ["OFFICER", "FORCE_ADMIN", "SERVICE"];
const ALERT_ROLES: readonly Role[] = ["ANALYST", "FORCE_ADMIN"];

const rank = (c: Cls) => CLASSIFICATIONS.indexOf(c);
export const cleared = (p: SpecPrincipal, c: Cls) => rank(p.clearance) >= rank(c);

export interface OwnedPrincipal extends SpecPrincipal {
  sub: string;
}

/** What a guarded operation answers: refused outright, told the id names nothing, or let through. */
export type Outcome = "FORBIDDEN" | "NOT_FOUND" | "ALLOWED";

/** Whether an agreement in force binds two different orgs (any kind, any ceiling). */
export function partners(agreements: readonly SpecAgreement[], a: string, b: string, now: Date): boolean {
  return a !== b && agreements.some((ag) => inForce(ag, now) && ag.members.includes(a) && ag.members.includes(b));
}

/** The CEOP deconfliction desk: CEOP's analysts and force admins. */
export const isDesk = (p: SpecPrincipal) => p.org === DESK_ORG && ALERT_ROLES.includes(p.role);

/** A principal of a record's owner reading it in full: an owner's decision needs no agreement. */
export const ownerReadsInFull = (p: SpecPrincipal, r: SpecRecord) => p.org === r.owner && expectedLevel(p, r, [], new Date(0), false) === "FULL";

// ---------------------------------------------------------------------------------------
// Facts
// ---------------------------------------------------------------------------------------

export interface SpecAssignment {
  /** The assigning org, which owns the assignment. */
  org: string;
  covert: boolean;
  classification: Cls;
}

export interface SpecSighting {
  /** The org that saw the identity and owns the sighting. */
  org: string;
  /** The owner of the identity seen. */
  identityOwner: string;
  classification: Cls;
}

export interface SpecAlert {
  trigger: "RECORD" | "SEARCH";
  holderOrg: string;
  holderCovert: boolean;
  /** The holder's record as it stands now; null once erased. */
  holderRecord: SpecRecord | null;
  otherOrg: string;
  otherCovert: boolean;
  /** The other side's record; "none" for a searcher (it holds no record); null once erased. */
  otherRecord: SpecRecord | null | "none";
}

export type AlertSide = "holder" | "other";

export interface SpecAccessRequest {
  /** The org owning the record asked for. */
  owner: string;
  requesterOrg: string;
  requesterSub: string;
  /** The record as it stands now; null once erased. */
  record: SpecRecord | null;
}

export interface SpecAgreementMembers {
  members: readonly string[];
}

/** A record of the audited force named by an audit event (in its record list or its detail), as it stands now. */
export type Named =
  | { kind: "record"; record: SpecRecord }
  | { kind: "assignment"; assignment: SpecAssignment }
  | { kind: "sighting"; sighting: SpecSighting }
  /** Named but no longer held (erased), or never known. */
  | { kind: "gone" };

export interface SpecExplanation {
  read: Level;
  search: Level;
}

// ---------------------------------------------------------------------------------------
// The rules
// ---------------------------------------------------------------------------------------

export const OWNED_SPEC = {
  partners,

  /**
   * Monitoring assignment: clearance ≥ its classification, and
   * - the assigning org's OFFICER/ANALYST/FORCE_ADMIN/SERVICE: overt, or covert with the claim;
   * - the CEOP desk (CEOP ANALYST or FORCE_ADMIN): overt always, covert only with the claim;
   * - any other org: overt only, ANALYST only, only while an agreement in force binds both orgs.
   * The same on every path: the hub's `forum { monitoring }`, every `<org> { monitoringAssignments }`,
   * `_entities` at the assigning org, and a forum's `monitoring` reached from its owner's list.
   */
  seesAssignment(p: SpecPrincipal, a: SpecAssignment, agreements: readonly SpecAgreement[], now: Date): boolean {
    if (!cleared(p, a.classification)) return false;
    if (p.org === a.org) return OWN_ORG_READERS.includes(p.role) && (!a.covert || p.covert);
    if (isDesk(p)) return !a.covert || p.covert;
    if (a.covert) return false;
    return p.role === "ANALYST" && OWNED_SPEC.partners(agreements, p.org, a.org, now);
  },

  /** `monitoringOverview`: the CEOP desk only (CEOP ANALYST or FORCE_ADMIN; README, schema). */
  overviewAction(p: SpecPrincipal): Outcome {
    return isDesk(p) ? "ALLOWED" : "FORBIDDEN";
  },

  /**
   * The overview's overlaps: a forum whose live assignments, overlapping in time, are of two or
   * more orgs — counting only those the principal may know of — lists exactly those. `onForum`
   * are a forum's live assignments, all overlapping; the answer says which of them are listed
   * (none when the forum is no overlap).
   */
  overlapOf(p: SpecPrincipal, onForum: readonly SpecAssignment[], agreements: readonly SpecAgreement[], now: Date): boolean[] {
    const known = onForum.map((a) => OWNED_SPEC.seesAssignment(p, a, agreements, now));
    const orgs = new Set(onForum.filter((_, i) => known[i]).map((a) => a.org));
    return orgs.size >= 2 ? known : onForum.map(() => false);
  },

  /**
   * Ending monitoring (`<ns> { endMonitoring(id) }`): a write into the assigning org's
   * namespace, so only that org's OFFICER/FORCE_ADMIN/SERVICE may attempt it (FORBIDDEN
   * otherwise); a write reads first, so an assignment the writer may not know of is answered
   * NOT_FOUND, exactly as an id that names nothing (`a` null).
   */
  endMonitoring(p: SpecPrincipal, nsOrg: string, a: SpecAssignment | null, agreements: readonly SpecAgreement[], now: Date): Outcome {
    if (p.org !== nsOrg || !WRITERS.includes(p.role)) return "FORBIDDEN";
    if (a === null || !OWNED_SPEC.seesAssignment(p, a, agreements, now)) return "NOT_FOUND";
    return "ALLOWED";
  },

  /**
   * Sighting: OFFICER/ANALYST/FORCE_ADMIN/SERVICE, clearance ≥ its classification, and the
   * principal's org is the sighting org or the owner of the identity seen. On every path.
   */
  seesSighting(p: SpecPrincipal, s: SpecSighting): boolean {
    if (!OWN_ORG_READERS.includes(p.role) || !cleared(p, s.classification)) return false;
    return p.org === s.org || p.org === s.identityOwner;
  },

  /**
   * On the identity's `sightings` field, additionally: nothing at all unless the owner lets
   * the caller read the identity itself (`identityReadable`), as for an id naming nothing.
   */
  seesSightingOnIdentity(p: SpecPrincipal, s: SpecSighting, identityReadable: boolean): boolean {
    return identityReadable && OWNED_SPEC.seesSighting(p, s);
  },

  /** `deconflictionAlerts` and `acknowledgeDeconflictionAlert`: ANALYST and FORCE_ADMIN only. */
  alertAction(p: SpecPrincipal): Outcome {
    return ALERT_ROLES.includes(p.role) ? "ALLOWED" : "FORBIDDEN";
  },

  /**
   * The side of an alert the principal sees it from, or null. The holder side sees it
   * unless its record is covert and it lacks the claim, or it may not read its own record
   * in full (an erased record cannot be read); the other side likewise, and a searcher
   * (trigger SEARCH) is never told when the holder's record is covert or the two orgs are
   * not partners.
   */
  alertSide(p: SpecPrincipal, a: SpecAlert, agreements: readonly SpecAgreement[], now: Date): AlertSide | null {
    if (OWNED_SPEC.alertAction(p) !== "ALLOWED") return null;
    const ownRecordOk = (r: SpecRecord | null | "none") => r === "none" || (r !== null && ownerReadsInFull(p, r));
    if (p.org === a.holderOrg) return (!a.holderCovert || p.covert) && ownRecordOk(a.holderRecord) ? "holder" : null;
    if (p.org === a.otherOrg) {
      if (a.otherCovert && !p.covert) return null;
      if (a.trigger === "SEARCH" && (a.holderCovert || !OWNED_SPEC.partners(agreements, a.holderOrg, a.otherOrg, now))) return null;
      return ownRecordOk(a.otherRecord) ? "other" : null;
    }
    return null;
  },

  /** The counterpart is named only if it is not covert and the two orgs are partners; otherwise the contact is the CEOP desk. */
  counterpartNamed(a: SpecAlert, side: AlertSide, agreements: readonly SpecAgreement[], now: Date): boolean {
    const counterpartCovert = side === "holder" ? a.otherCovert : a.holderCovert;
    return !counterpartCovert && OWNED_SPEC.partners(agreements, a.holderOrg, a.otherOrg, now);
  },

  /** Acknowledging: FORBIDDEN to other roles; an alert one may not see is NOT_FOUND, as a random uuid. */
  acknowledgeAlert(p: SpecPrincipal, a: SpecAlert | null, agreements: readonly SpecAgreement[], now: Date): Outcome {
    if (OWNED_SPEC.alertAction(p) !== "ALLOWED") return "FORBIDDEN";
    return a !== null && OWNED_SPEC.alertSide(p, a, agreements, now) !== null ? "ALLOWED" : "NOT_FOUND";
  },

  /** `deconflictionDeskAlerts`: only the CEOP desk with the covert claim. */
  deskAction(p: SpecPrincipal): Outcome {
    return isDesk(p) && p.covert ? "ALLOWED" : "FORBIDDEN";
  },

  /** The desk lists the alerts with a covert side or whose orgs are not partners. */
  deskListsAlert(a: SpecAlert, agreements: readonly SpecAgreement[], now: Date): boolean {
    return a.holderCovert || a.otherCovert || !OWNED_SPEC.partners(agreements, a.holderOrg, a.otherOrg, now);
  },

  /**
   * Deciding a request: a FORCE_ADMIN of the record's owner who may read the record in full
   * (clearance ≥ its classification; covert → the claim; an erased record cannot be read).
   */
  maysDecideRequest(p: OwnedPrincipal, r: SpecAccessRequest): boolean {
    return p.org === r.owner && p.role === "FORCE_ADMIN" && r.record !== null && ownerReadsInFull(p, r.record);
  },

  /** An access request is visible to its requester (same org and sub) and to those who may decide it. */
  seesAccessRequest(p: OwnedPrincipal, r: SpecAccessRequest): boolean {
    return (p.org === r.requesterOrg && p.sub === r.requesterSub) || OWNED_SPEC.maysDecideRequest(p, r);
  },

  /**
   * `decideAccessRequest`: a request one may not decide is NOT_FOUND, exactly as a random uuid.
   * A principal without the FORCE_ADMIN role is refused the action itself (FORBIDDEN, whatever
   * the id), as every other role-gated action is: that answer too is the same for every id.
   */
  decideRequest(p: OwnedPrincipal, r: SpecAccessRequest | null): Outcome {
    if (p.role !== "FORCE_ADMIN") return "FORBIDDEN";
    return r !== null && OWNED_SPEC.maysDecideRequest(p, r) ? "ALLOWED" : "NOT_FOUND";
  },

  /** Agreements: POLICY_ADMIN sees all; others only those naming their org. */
  seesAgreement(p: SpecPrincipal, a: SpecAgreementMembers): boolean {
    return p.role === "POLICY_ADMIN" || a.members.includes(p.org);
  },

  /** Creating, amending, suspending, reinstating or revoking: POLICY_ADMIN only. */
  manageAgreements(p: SpecPrincipal): Outcome {
    return p.role === "POLICY_ADMIN" ? "ALLOWED" : "FORBIDDEN";
  },

  /** `kent { auditTrail }`: KENT's FORCE_ADMINs only. */
  auditAction(p: SpecPrincipal): Outcome {
    return p.org === AUDITED_ORG && p.role === "FORCE_ADMIN" ? "ALLOWED" : "FORBIDDEN";
  },

  /** The auditor: a FORCE_ADMIN of the force, cleared SECRET, with the covert claim. */
  isAuditor(p: SpecPrincipal): boolean {
    return OWNED_SPEC.auditAction(p) === "ALLOWED" && p.clearance === "SECRET" && p.covert;
  },

  /** Whether a record of the audited force, as it stands now, is one the reader may read in full now. */
  readsNamedInFull(p: SpecPrincipal, n: Named, agreements: readonly SpecAgreement[], now: Date): boolean {
    switch (n.kind) {
      case "record":
        return ownerReadsInFull(p, n.record);
      case "assignment":
        return OWNED_SPEC.seesAssignment(p, n.assignment, agreements, now);
      case "sighting":
        return OWNED_SPEC.seesSighting(p, n.sighting);
      case "gone":
        return false;
    }
  },

  /**
   * An audit event is shown only if the reader may read, in full now, every record of the
   * force it names; an event naming an erased record only to the auditor, who sees every event.
   */
  seesAuditEvent(p: SpecPrincipal, named: readonly Named[], agreements: readonly SpecAgreement[], now: Date): boolean {
    if (OWNED_SPEC.auditAction(p) !== "ALLOWED") return false;
    if (OWNED_SPEC.isAuditor(p)) return true;
    return named.every((n) => OWNED_SPEC.readsNamedInFull(p, n, agreements, now));
  },

  /** Ids of other orgs' records in an event are shown only to the auditor. */
  showsForeignIds(p: SpecPrincipal): boolean {
    return OWNED_SPEC.isAuditor(p);
  },

  /** `kent { explainAccess }`: KENT's FORCE_ADMINs only. */
  explainAction(p: SpecPrincipal): Outcome {
    return p.org === AUDITED_ORG && p.role === "FORCE_ADMIN" ? "ALLOWED" : "FORBIDDEN";
  },

  /**
   * The explanation of what `as` gets of a record of the force: null (the same answer as for
   * an id that names nothing) when the admin may not read the record in full; otherwise the
   * levels the records' rule gives `as` on a read and on a search.
   */
  explain(admin: SpecPrincipal, r: SpecRecord | null, as: SpecPrincipal, agreements: SpecAgreement[], now: Date): SpecExplanation | null {
    if (r === null || !ownerReadsInFull(admin, r)) return null;
    return { read: expectedLevel(as, r, agreements, now, false), search: expectedLevel(as, r, agreements, now, true) };
  },
};

export type OwnedSpec = typeof OWNED_SPEC;
