import type { AccessLevel, AgreementStatus, Classification, HandlingCode, RecordKind } from "@interforce/domain";

/** The access-relevant markings of one intelligence record. Content never enters the policy. */
export interface PolicyRecord {
  /** Global id (`KENT:identity:<uuid>`); owner releases are granted per record. */
  id: string;
  owner: string;
  kind: RecordKind;
  classification: Classification;
  handling: HandlingCode;
  /** For handling code C: the orgs the conditions allow the record to go to. */
  handlingOrgs: string[];
  covert: boolean;
  reviewDue: Date | null;
}

export interface Agreement {
  id: string;
  name: string;
  members: string[];
  kinds: RecordKind[];
  maxClassification: Classification;
  status: AgreementStatus;
  validFrom: Date;
  validTo: Date | null;
}

/** An owner's release of one record to one org, after a hit/no-hit follow-up request. */
export interface Grant {
  recordId: string;
  org: string;
  expiresAt: Date;
}

/** Everything a decision depends on besides the principal and the record. */
export interface PolicyInputs {
  agreements: readonly Agreement[];
  grants: readonly Grant[];
  now: Date;
}

/**
 * `read`: the record itself is asked for (lists, by id, nested ends, `_entities`).
 * `search`: a hub search matched the record; a principal who may not read it may still
 * learn that its owner holds something (POINTER).
 */
export type AccessPath = "read" | "search";

export interface Decision {
  level: AccessLevel;
  /** A stable rule name, shown by explainAccess and written to the audit log. */
  reason: string;
}
