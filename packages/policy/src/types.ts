import type { AccessLevel, AgreementStatus, Classification, HandlingCode, RecordKind } from "@interforce/domain";

/** The access-relevant markings of one intelligence record. Content never enters the policy. */
export interface PolicyRecord {
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

export interface Decision {
  level: AccessLevel;
  /** A stable rule name, shown to admins by explainAccess and written to the audit log. */
  reason: string;
}
