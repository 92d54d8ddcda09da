/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends " $fragmentName" | "__typename" ? T[P] : never };
import type { DocumentTypeDecoration } from "@graphql-typed-document-node/core";
export type AccessDecision = "DECLINE" | "GRANT";

/** FULL: the record; POINTER: only that its owner holds a match (hit/no-hit); NONE: not even existence. */
export type AccessLevel = "FULL" | "NONE" | "POINTER";

export type AccessRequestStatus = "DECLINED" | "GRANTED" | "PENDING";

/** What a change to an agreement did. */
export type AgreementChange = "AMENDED" | "CREATED" | "REINSTATED" | "REVOKED" | "SUSPENDED";

export type AgreementInput = {
  kinds: Array<RecordKind>;
  maxClassification: Classification;
  members: Array<string>;
  name: string;
  validFrom: string;
  validTo?: string | null | undefined;
};

export type AgreementStatus = "ACTIVE" | "REVOKED" | "SUSPENDED";

/** The DPA 2018 s.62 processing operation an audit entry records. */
export type AuditAction = "ALTERATION" | "COLLECTION" | "CONSULTATION" | "DISCLOSURE" | "ERASURE";

/** The kind of thing an audit entry names. */
export type AuditedRecordKind =
  "ACCESS_REQUEST" | "AGREEMENT" | "DECONFLICTION_ALERT" | "FORUM" | "IDENTITY" | "LINK" | "MONITORING" | "MONITORING_ASSIGNMENT" | "OTHER" | "SIGHTING";

/** Government Security Classification, ascending. */
export type Classification = "OFFICIAL" | "OFFICIAL_SENSITIVE" | "SECRET";

/** RECORD: another org recorded the selector; SEARCH: another org searched it. */
export type DeconflictionTrigger = "RECORD" | "SEARCH";

export type ForumKind = "CHAT_ROOM" | "FORUM" | "GAME_CHAT" | "MESSAGING_GROUP" | "SOCIAL_NETWORK";

/** The forum's risk; CEOP is shown HIGH forums that no org is monitoring. */
export type ForumRiskLevel = "HIGH" | "LOW" | "MEDIUM";

/** 3x5x2 handling: P lawful sharing permitted, C sharing with conditions. */
export type HandlingCode = "C" | "P";

export type IdentityStatus = "DECOY" | "SUSPECT" | "UNKNOWN" | "VICTIM_AT_RISK";

/** 3x5x2 intelligence assessment A–E. */
export type IntelligenceAssessment = "A" | "B" | "C" | "D" | "E";

export type LinkType = "ADMIN_OF" | "ALIAS_OF" | "COMMUNICATES_WITH" | "MEMBER_OF" | "SAME_PERSON";

/** Platform an identity or forum lives on; OTHER carries a name. */
export type Platform =
  "DISCORD" | "FACEBOOK" | "INSTAGRAM" | "KIK" | "OMEGLE_LIKE" | "OTHER" | "REDDIT" | "ROBLOX" | "SNAPCHAT" | "TELEGRAM" | "TIKTOK" | "WHATSAPP" | "X";

/** A principal to explain access for. */
export type PrincipalInput = {
  clearance: Classification;
  covert?: boolean;
  org: string;
  roles: Array<string>;
};

export type RecordKind = "FORUM" | "IDENTITY" | "LINK";

/** EXACT: the same selector after normalisation; FUZZY: a similar handle (trigram). */
export type SearchMatch = "EXACT" | "FUZZY";

/** HANDLE: the normalised platform handle; EMAIL and PHONE: the keyed hash of one. */
export type SelectorKind = "EMAIL" | "HANDLE" | "PHONE";

/** 3x5x2 source evaluation 1 reliable, 2 untested, 3 not reliable. */
export type SourceEvaluation = "NOT_RELIABLE" | "RELIABLE" | "UNTESTED";

export type CreateAgreementMutationVariables = Exact<{
  input: AgreementInput;
}>;

export type CreateAgreementMutation = { createAgreement: { id: string; version: number } };

export type AmendAgreementMutationVariables = Exact<{
  id: string | number;
  expectedVersion: number;
  input: AgreementInput;
  reason?: string | null | undefined;
}>;

export type AmendAgreementMutation = { amendAgreement: { id: string; version: number } };

export type SuspendAgreementMutationVariables = Exact<{
  id: string | number;
  expectedVersion: number;
  reason: string;
}>;

export type SuspendAgreementMutation = { suspendAgreement: { id: string; version: number } };

export type ReinstateAgreementMutationVariables = Exact<{
  id: string | number;
  expectedVersion: number;
  reason: string;
}>;

export type ReinstateAgreementMutation = { reinstateAgreement: { id: string; version: number } };

export type RevokeAgreementMutationVariables = Exact<{
  id: string | number;
  expectedVersion: number;
  reason: string;
}>;

export type RevokeAgreementMutation = { revokeAgreement: { id: string; version: number } };

export type AgreementsQueryVariables = Exact<{
  status?: AgreementStatus | null | undefined;
  after?: string | null | undefined;
}>;

export type AgreementsQuery = {
  orgs: Array<{ code: string }>;
  agreements: {
    nodes: Array<{
      id: string;
      name: string;
      members: Array<string>;
      kinds: Array<RecordKind>;
      maxClassification: Classification;
      status: AgreementStatus;
      validFrom: string;
      validTo: string | null;
      version: number;
      updatedAt: string;
    }>;
    pageInfo: { endCursor: string | null; hasNextPage: boolean };
  };
};

export type AgreementHistoryQueryVariables = Exact<{
  id: string | number;
  after?: string | null | undefined;
}>;

export type AgreementHistoryQuery = {
  agreement: {
    id: string;
    name: string;
    status: AgreementStatus;
    version: number;
    history: {
      nodes: Array<{
        version: number;
        change: AgreementChange;
        reason: string | null;
        changedBy: string;
        changedAt: string;
        members: Array<string>;
        kinds: Array<RecordKind>;
        maxClassification: Classification;
        status: AgreementStatus;
        validFrom: string;
        validTo: string | null;
      }>;
      pageInfo: { endCursor: string | null; hasNextPage: boolean };
    };
  } | null;
};

export type DeconflictionAlertsQueryVariables = Exact<{
  acknowledged?: boolean | null | undefined;
  after?: string | null | undefined;
}>;

export type DeconflictionAlertsQuery = {
  deconflictionAlerts: {
    nodes: Array<{
      id: string;
      trigger: DeconflictionTrigger;
      selector: string;
      raisedAt: string;
      lastAt: string;
      occurrences: number;
      yourRecordId: string | null;
      counterpartOrg: string | null;
      advice: string;
      acknowledgedAt: string | null;
      acknowledgedBy: string | null;
      contact: { name: string; email: string; phone: string };
    }>;
    pageInfo: { endCursor: string | null; hasNextPage: boolean };
  };
};

export type AcknowledgeAlertMutationVariables = Exact<{
  id: string | number;
}>;

export type AcknowledgeAlertMutation = { acknowledgeDeconflictionAlert: { id: string; acknowledgedAt: string | null; acknowledgedBy: string | null } };

export type DeskAlertsQueryVariables = Exact<{
  acknowledged?: boolean | null | undefined;
  after?: string | null | undefined;
}>;

export type DeskAlertsQuery = {
  deconflictionDeskAlerts: {
    nodes: Array<{
      id: string;
      trigger: DeconflictionTrigger;
      selector: string | null;
      raisedAt: string;
      lastAt: string;
      occurrences: number;
      holderOrg: string;
      holderCovert: boolean;
      otherOrg: string;
      otherCovert: boolean;
      partners: boolean;
      holderAcknowledgedAt: string | null;
      otherAcknowledgedAt: string | null;
      holderContact: { name: string; email: string; phone: string };
      otherContact: { name: string; email: string; phone: string };
    }>;
    pageInfo: { endCursor: string | null; hasNextPage: boolean };
  };
};

export type AuditTrailQueryVariables = Exact<{
  kent: boolean;
  norfolk: boolean;
  essex: boolean;
  ceop: boolean;
  recordId?: string | number | null | undefined;
  sub?: string | null | undefined;
  org?: string | null | undefined;
  after?: string | null | undefined;
}>;

export type AuditTrailQuery = {
  kent?: {
    auditTrail: {
      nodes: Array<{
        seq: string;
        at: string;
        sub: string | null;
        org: string | null;
        roles: Array<string>;
        purpose: string | null;
        operation: string;
        action: AuditAction;
        requestId: string | null;
        recipientOrg: string | null;
        detail: Record<string, unknown>;
        records: Array<{ id: string; kind: AuditedRecordKind; level: AccessLevel; reason: string }>;
      }>;
      pageInfo: { endCursor: string | null; hasNextPage: boolean };
    };
  };
  norfolk?: {
    auditTrail: {
      nodes: Array<{
        seq: string;
        at: string;
        sub: string | null;
        org: string | null;
        roles: Array<string>;
        purpose: string | null;
        operation: string;
        action: AuditAction;
        requestId: string | null;
        recipientOrg: string | null;
        detail: Record<string, unknown>;
        records: Array<{ id: string; kind: AuditedRecordKind; level: AccessLevel; reason: string }>;
      }>;
      pageInfo: { endCursor: string | null; hasNextPage: boolean };
    };
  };
  essex?: {
    auditTrail: {
      nodes: Array<{
        seq: string;
        at: string;
        sub: string | null;
        org: string | null;
        roles: Array<string>;
        purpose: string | null;
        operation: string;
        action: AuditAction;
        requestId: string | null;
        recipientOrg: string | null;
        detail: Record<string, unknown>;
        records: Array<{ id: string; kind: AuditedRecordKind; level: AccessLevel; reason: string }>;
      }>;
      pageInfo: { endCursor: string | null; hasNextPage: boolean };
    };
  };
  ceop?: {
    auditTrail: {
      nodes: Array<{
        seq: string;
        at: string;
        sub: string | null;
        org: string | null;
        roles: Array<string>;
        purpose: string | null;
        operation: string;
        action: AuditAction;
        requestId: string | null;
        recipientOrg: string | null;
        detail: Record<string, unknown>;
        records: Array<{ id: string; kind: AuditedRecordKind; level: AccessLevel; reason: string }>;
      }>;
      pageInfo: { endCursor: string | null; hasNextPage: boolean };
    };
  };
};

export type AuditPageFieldsFragment = {
  nodes: Array<{
    seq: string;
    at: string;
    sub: string | null;
    org: string | null;
    roles: Array<string>;
    purpose: string | null;
    operation: string;
    action: AuditAction;
    requestId: string | null;
    recipientOrg: string | null;
    detail: Record<string, unknown>;
    records: Array<{ id: string; kind: AuditedRecordKind; level: AccessLevel; reason: string }>;
  }>;
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
};

export type ExplainAccessQueryVariables = Exact<{
  kent: boolean;
  norfolk: boolean;
  essex: boolean;
  ceop: boolean;
  recordId: string | number;
  as: PrincipalInput;
}>;

export type ExplainAccessQuery = {
  kent?: {
    explainAccess: {
      read: { level: AccessLevel; reason: string; contact: { name: string; email: string; phone: string } };
      search: { level: AccessLevel; reason: string };
    } | null;
  };
  norfolk?: {
    explainAccess: {
      read: { level: AccessLevel; reason: string; contact: { name: string; email: string; phone: string } };
      search: { level: AccessLevel; reason: string };
    } | null;
  };
  essex?: {
    explainAccess: {
      read: { level: AccessLevel; reason: string; contact: { name: string; email: string; phone: string } };
      search: { level: AccessLevel; reason: string };
    } | null;
  };
  ceop?: {
    explainAccess: {
      read: { level: AccessLevel; reason: string; contact: { name: string; email: string; phone: string } };
      search: { level: AccessLevel; reason: string };
    } | null;
  };
};

export type ExplanationFieldsFragment = {
  read: { level: AccessLevel; reason: string; contact: { name: string; email: string; phone: string } };
  search: { level: AccessLevel; reason: string };
};

export type OrgsQueryVariables = Exact<{ [key: string]: never }>;

export type OrgsQuery = { orgs: Array<{ code: string; name: string }> };

export type ForumQueryVariables = Exact<{
  id: string | number;
}>;

export type ForumQuery = {
  forum:
    | {
        id: string;
        owner: string;
        classification: Classification;
        covert: boolean;
        reviewDue: string | null;
        reviewOverdue: boolean;
        createdBy: string;
        createdAt: string;
        updatedAt: string;
        platform: Platform;
        name: string;
        url: string | null;
        kind: ForumKind;
        riskSummary: string | null;
        riskLevel: ForumRiskLevel;
        access: { level: AccessLevel; reason: string };
        grading: {
          source: SourceEvaluation;
          assessment: IntelligenceAssessment;
          handling: HandlingCode;
          conditions: string | null;
          conditionsOrgs: Array<string>;
        };
      }
    | {
        id: string;
        owner: string;
        classification: Classification;
        covert: boolean;
        reviewDue: string | null;
        reviewOverdue: boolean;
        createdBy: string;
        createdAt: string;
        updatedAt: string;
        platform: Platform;
        name: string;
        url: string | null;
        kind: ForumKind;
        riskSummary: string | null;
        riskLevel: ForumRiskLevel;
        access: { level: AccessLevel; reason: string };
        grading: {
          source: SourceEvaluation;
          assessment: IntelligenceAssessment;
          handling: HandlingCode;
          conditions: string | null;
          conditionsOrgs: Array<string>;
        };
      }
    | {
        id: string;
        owner: string;
        classification: Classification;
        covert: boolean;
        reviewDue: string | null;
        reviewOverdue: boolean;
        createdBy: string;
        createdAt: string;
        updatedAt: string;
        platform: Platform;
        name: string;
        url: string | null;
        kind: ForumKind;
        riskSummary: string | null;
        riskLevel: ForumRiskLevel;
        access: { level: AccessLevel; reason: string };
        grading: {
          source: SourceEvaluation;
          assessment: IntelligenceAssessment;
          handling: HandlingCode;
          conditions: string | null;
          conditionsOrgs: Array<string>;
        };
      }
    | {
        id: string;
        owner: string;
        classification: Classification;
        covert: boolean;
        reviewDue: string | null;
        reviewOverdue: boolean;
        createdBy: string;
        createdAt: string;
        updatedAt: string;
        platform: Platform;
        name: string;
        url: string | null;
        kind: ForumKind;
        riskSummary: string | null;
        riskLevel: ForumRiskLevel;
        access: { level: AccessLevel; reason: string };
        grading: {
          source: SourceEvaluation;
          assessment: IntelligenceAssessment;
          handling: HandlingCode;
          conditions: string | null;
          conditionsOrgs: Array<string>;
        };
      }
    | null;
};

export type ForumMonitoringQueryVariables = Exact<{
  id: string | number;
  after?: string | null | undefined;
}>;

export type ForumMonitoringQuery = {
  forum:
    | {
        id: string;
        monitoring: {
          nodes: Array<
            | {
                id: string;
                org: string;
                from: string;
                to: string | null;
                active: boolean;
                covert: boolean;
                classification: Classification;
                leadOfficer: { name: string; email: string; phone: string };
              }
            | {
                id: string;
                org: string;
                from: string;
                to: string | null;
                active: boolean;
                covert: boolean;
                classification: Classification;
                leadOfficer: { name: string; email: string; phone: string };
              }
            | {
                id: string;
                org: string;
                from: string;
                to: string | null;
                active: boolean;
                covert: boolean;
                classification: Classification;
                leadOfficer: { name: string; email: string; phone: string };
              }
            | {
                id: string;
                org: string;
                from: string;
                to: string | null;
                active: boolean;
                covert: boolean;
                classification: Classification;
                leadOfficer: { name: string; email: string; phone: string };
              }
          >;
          pageInfo: { endCursor: string | null; hasNextPage: boolean };
        } | null;
      }
    | {
        id: string;
        monitoring: {
          nodes: Array<
            | {
                id: string;
                org: string;
                from: string;
                to: string | null;
                active: boolean;
                covert: boolean;
                classification: Classification;
                leadOfficer: { name: string; email: string; phone: string };
              }
            | {
                id: string;
                org: string;
                from: string;
                to: string | null;
                active: boolean;
                covert: boolean;
                classification: Classification;
                leadOfficer: { name: string; email: string; phone: string };
              }
            | {
                id: string;
                org: string;
                from: string;
                to: string | null;
                active: boolean;
                covert: boolean;
                classification: Classification;
                leadOfficer: { name: string; email: string; phone: string };
              }
            | {
                id: string;
                org: string;
                from: string;
                to: string | null;
                active: boolean;
                covert: boolean;
                classification: Classification;
                leadOfficer: { name: string; email: string; phone: string };
              }
          >;
          pageInfo: { endCursor: string | null; hasNextPage: boolean };
        } | null;
      }
    | {
        id: string;
        monitoring: {
          nodes: Array<
            | {
                id: string;
                org: string;
                from: string;
                to: string | null;
                active: boolean;
                covert: boolean;
                classification: Classification;
                leadOfficer: { name: string; email: string; phone: string };
              }
            | {
                id: string;
                org: string;
                from: string;
                to: string | null;
                active: boolean;
                covert: boolean;
                classification: Classification;
                leadOfficer: { name: string; email: string; phone: string };
              }
            | {
                id: string;
                org: string;
                from: string;
                to: string | null;
                active: boolean;
                covert: boolean;
                classification: Classification;
                leadOfficer: { name: string; email: string; phone: string };
              }
            | {
                id: string;
                org: string;
                from: string;
                to: string | null;
                active: boolean;
                covert: boolean;
                classification: Classification;
                leadOfficer: { name: string; email: string; phone: string };
              }
          >;
          pageInfo: { endCursor: string | null; hasNextPage: boolean };
        } | null;
      }
    | {
        id: string;
        monitoring: {
          nodes: Array<
            | {
                id: string;
                org: string;
                from: string;
                to: string | null;
                active: boolean;
                covert: boolean;
                classification: Classification;
                leadOfficer: { name: string; email: string; phone: string };
              }
            | {
                id: string;
                org: string;
                from: string;
                to: string | null;
                active: boolean;
                covert: boolean;
                classification: Classification;
                leadOfficer: { name: string; email: string; phone: string };
              }
            | {
                id: string;
                org: string;
                from: string;
                to: string | null;
                active: boolean;
                covert: boolean;
                classification: Classification;
                leadOfficer: { name: string; email: string; phone: string };
              }
            | {
                id: string;
                org: string;
                from: string;
                to: string | null;
                active: boolean;
                covert: boolean;
                classification: Classification;
                leadOfficer: { name: string; email: string; phone: string };
              }
          >;
          pageInfo: { endCursor: string | null; hasNextPage: boolean };
        } | null;
      }
    | null;
};

export type LinkGraphQueryVariables = Exact<{
  rootId: string | number;
  depth: number;
}>;

export type LinkGraphQuery = {
  orgs: Array<{ code: string }>;
  linkGraph: {
    truncated: boolean;
    unavailableOrgs: Array<string>;
    root: { id: string } | { id: string } | { id: string } | { id: string } | null;
    nodes: Array<
      | { name: string; id: string; owner: string; classification: Classification }
      | { handle: string; id: string; owner: string; classification: Classification }
      | { id: string; owner: string; classification: Classification }
      | { name: string; id: string; owner: string; classification: Classification }
      | { handle: string; id: string; owner: string; classification: Classification }
      | { id: string; owner: string; classification: Classification }
      | { name: string; id: string; owner: string; classification: Classification }
      | { handle: string; id: string; owner: string; classification: Classification }
      | { id: string; owner: string; classification: Classification }
      | { name: string; id: string; owner: string; classification: Classification }
      | { handle: string; id: string; owner: string; classification: Classification }
      | { id: string; owner: string; classification: Classification }
    >;
    edges: Array<
      | {
          id: string;
          linkType: LinkType;
          classification: Classification;
          from: { identity: { id: string } | { id: string } | { id: string } | { id: string } | null };
          toIdentity: { identity: { id: string } | { id: string } | { id: string } | { id: string } | null } | null;
          toForum: { forum: { id: string } | { id: string } | { id: string } | { id: string } | null } | null;
        }
      | {
          id: string;
          linkType: LinkType;
          classification: Classification;
          from: { identity: { id: string } | { id: string } | { id: string } | { id: string } | null };
          toIdentity: { identity: { id: string } | { id: string } | { id: string } | { id: string } | null } | null;
          toForum: { forum: { id: string } | { id: string } | { id: string } | { id: string } | null } | null;
        }
      | {
          id: string;
          linkType: LinkType;
          classification: Classification;
          from: { identity: { id: string } | { id: string } | { id: string } | { id: string } | null };
          toIdentity: { identity: { id: string } | { id: string } | { id: string } | { id: string } | null } | null;
          toForum: { forum: { id: string } | { id: string } | { id: string } | { id: string } | null } | null;
        }
      | {
          id: string;
          linkType: LinkType;
          classification: Classification;
          from: { identity: { id: string } | { id: string } | { id: string } | { id: string } | null };
          toIdentity: { identity: { id: string } | { id: string } | { id: string } | { id: string } | null } | null;
          toForum: { forum: { id: string } | { id: string } | { id: string } | { id: string } | null } | null;
        }
    >;
  };
};

export type IdentityQueryVariables = Exact<{
  id: string | number;
}>;

export type IdentityQuery = {
  identity:
    | {
        id: string;
        owner: string;
        classification: Classification;
        covert: boolean;
        reviewDue: string | null;
        reviewOverdue: boolean;
        createdBy: string;
        createdAt: string;
        updatedAt: string;
        platform: Platform;
        platformOther: string | null;
        handle: string;
        normalisedHandle: string;
        displayName: string | null;
        profileUrl: string | null;
        status: IdentityStatus;
        notes: string | null;
        firstSeen: string | null;
        lastSeen: string | null;
        access: { level: AccessLevel; reason: string };
        grading: {
          source: SourceEvaluation;
          assessment: IntelligenceAssessment;
          handling: HandlingCode;
          conditions: string | null;
          conditionsOrgs: Array<string>;
        };
        selectors: Array<{ kind: SelectorKind; value: string }>;
      }
    | {
        id: string;
        owner: string;
        classification: Classification;
        covert: boolean;
        reviewDue: string | null;
        reviewOverdue: boolean;
        createdBy: string;
        createdAt: string;
        updatedAt: string;
        platform: Platform;
        platformOther: string | null;
        handle: string;
        normalisedHandle: string;
        displayName: string | null;
        profileUrl: string | null;
        status: IdentityStatus;
        notes: string | null;
        firstSeen: string | null;
        lastSeen: string | null;
        access: { level: AccessLevel; reason: string };
        grading: {
          source: SourceEvaluation;
          assessment: IntelligenceAssessment;
          handling: HandlingCode;
          conditions: string | null;
          conditionsOrgs: Array<string>;
        };
        selectors: Array<{ kind: SelectorKind; value: string }>;
      }
    | {
        id: string;
        owner: string;
        classification: Classification;
        covert: boolean;
        reviewDue: string | null;
        reviewOverdue: boolean;
        createdBy: string;
        createdAt: string;
        updatedAt: string;
        platform: Platform;
        platformOther: string | null;
        handle: string;
        normalisedHandle: string;
        displayName: string | null;
        profileUrl: string | null;
        status: IdentityStatus;
        notes: string | null;
        firstSeen: string | null;
        lastSeen: string | null;
        access: { level: AccessLevel; reason: string };
        grading: {
          source: SourceEvaluation;
          assessment: IntelligenceAssessment;
          handling: HandlingCode;
          conditions: string | null;
          conditionsOrgs: Array<string>;
        };
        selectors: Array<{ kind: SelectorKind; value: string }>;
      }
    | {
        id: string;
        owner: string;
        classification: Classification;
        covert: boolean;
        reviewDue: string | null;
        reviewOverdue: boolean;
        createdBy: string;
        createdAt: string;
        updatedAt: string;
        platform: Platform;
        platformOther: string | null;
        handle: string;
        normalisedHandle: string;
        displayName: string | null;
        profileUrl: string | null;
        status: IdentityStatus;
        notes: string | null;
        firstSeen: string | null;
        lastSeen: string | null;
        access: { level: AccessLevel; reason: string };
        grading: {
          source: SourceEvaluation;
          assessment: IntelligenceAssessment;
          handling: HandlingCode;
          conditions: string | null;
          conditionsOrgs: Array<string>;
        };
        selectors: Array<{ kind: SelectorKind; value: string }>;
      }
    | null;
};

export type IdentityLinksQueryVariables = Exact<{
  id: string | number;
  after?: string | null | undefined;
}>;

export type IdentityLinksQuery = {
  identity:
    | {
        id: string;
        links: {
          nodes: Array<{
            id: string;
            owner: string;
            linkType: LinkType;
            rationale: string | null;
            classification: Classification;
            grading: {
              source: SourceEvaluation;
              assessment: IntelligenceAssessment;
              handling: HandlingCode;
              conditions: string | null;
              conditionsOrgs: Array<string>;
            };
            toIdentity: {
              identity:
                | { id: string; handle: string; owner: string }
                | { id: string; handle: string; owner: string }
                | { id: string; handle: string; owner: string }
                | { id: string; handle: string; owner: string }
                | null;
            } | null;
            toForum: {
              forum:
                | { id: string; name: string; owner: string }
                | { id: string; name: string; owner: string }
                | { id: string; name: string; owner: string }
                | { id: string; name: string; owner: string }
                | null;
            } | null;
          }>;
          pageInfo: { endCursor: string | null; hasNextPage: boolean };
        };
      }
    | {
        id: string;
        links: {
          nodes: Array<{
            id: string;
            owner: string;
            linkType: LinkType;
            rationale: string | null;
            classification: Classification;
            grading: {
              source: SourceEvaluation;
              assessment: IntelligenceAssessment;
              handling: HandlingCode;
              conditions: string | null;
              conditionsOrgs: Array<string>;
            };
            toIdentity: {
              identity:
                | { id: string; handle: string; owner: string }
                | { id: string; handle: string; owner: string }
                | { id: string; handle: string; owner: string }
                | { id: string; handle: string; owner: string }
                | null;
            } | null;
            toForum: {
              forum:
                | { id: string; name: string; owner: string }
                | { id: string; name: string; owner: string }
                | { id: string; name: string; owner: string }
                | { id: string; name: string; owner: string }
                | null;
            } | null;
          }>;
          pageInfo: { endCursor: string | null; hasNextPage: boolean };
        };
      }
    | {
        id: string;
        links: {
          nodes: Array<{
            id: string;
            owner: string;
            linkType: LinkType;
            rationale: string | null;
            classification: Classification;
            grading: {
              source: SourceEvaluation;
              assessment: IntelligenceAssessment;
              handling: HandlingCode;
              conditions: string | null;
              conditionsOrgs: Array<string>;
            };
            toIdentity: {
              identity:
                | { id: string; handle: string; owner: string }
                | { id: string; handle: string; owner: string }
                | { id: string; handle: string; owner: string }
                | { id: string; handle: string; owner: string }
                | null;
            } | null;
            toForum: {
              forum:
                | { id: string; name: string; owner: string }
                | { id: string; name: string; owner: string }
                | { id: string; name: string; owner: string }
                | { id: string; name: string; owner: string }
                | null;
            } | null;
          }>;
          pageInfo: { endCursor: string | null; hasNextPage: boolean };
        };
      }
    | {
        id: string;
        links: {
          nodes: Array<{
            id: string;
            owner: string;
            linkType: LinkType;
            rationale: string | null;
            classification: Classification;
            grading: {
              source: SourceEvaluation;
              assessment: IntelligenceAssessment;
              handling: HandlingCode;
              conditions: string | null;
              conditionsOrgs: Array<string>;
            };
            toIdentity: {
              identity:
                | { id: string; handle: string; owner: string }
                | { id: string; handle: string; owner: string }
                | { id: string; handle: string; owner: string }
                | { id: string; handle: string; owner: string }
                | null;
            } | null;
            toForum: {
              forum:
                | { id: string; name: string; owner: string }
                | { id: string; name: string; owner: string }
                | { id: string; name: string; owner: string }
                | { id: string; name: string; owner: string }
                | null;
            } | null;
          }>;
          pageInfo: { endCursor: string | null; hasNextPage: boolean };
        };
      }
    | null;
};

export type IdentitySightingsQueryVariables = Exact<{
  id: string | number;
  after?: string | null | undefined;
}>;

export type IdentitySightingsQuery = {
  identity:
    | {
        id: string;
        sightings: {
          nodes: Array<
            | {
                id: string;
                org: string;
                seenAt: string;
                note: string | null;
                classification: Classification;
                forum: {
                  forum: { id: string; name: string } | { id: string; name: string } | { id: string; name: string } | { id: string; name: string } | null;
                } | null;
              }
            | {
                id: string;
                org: string;
                seenAt: string;
                note: string | null;
                classification: Classification;
                forum: {
                  forum: { id: string; name: string } | { id: string; name: string } | { id: string; name: string } | { id: string; name: string } | null;
                } | null;
              }
            | {
                id: string;
                org: string;
                seenAt: string;
                note: string | null;
                classification: Classification;
                forum: {
                  forum: { id: string; name: string } | { id: string; name: string } | { id: string; name: string } | { id: string; name: string } | null;
                } | null;
              }
            | {
                id: string;
                org: string;
                seenAt: string;
                note: string | null;
                classification: Classification;
                forum: {
                  forum: { id: string; name: string } | { id: string; name: string } | { id: string; name: string } | { id: string; name: string } | null;
                } | null;
              }
          >;
          pageInfo: { endCursor: string | null; hasNextPage: boolean };
        } | null;
      }
    | {
        id: string;
        sightings: {
          nodes: Array<
            | {
                id: string;
                org: string;
                seenAt: string;
                note: string | null;
                classification: Classification;
                forum: {
                  forum: { id: string; name: string } | { id: string; name: string } | { id: string; name: string } | { id: string; name: string } | null;
                } | null;
              }
            | {
                id: string;
                org: string;
                seenAt: string;
                note: string | null;
                classification: Classification;
                forum: {
                  forum: { id: string; name: string } | { id: string; name: string } | { id: string; name: string } | { id: string; name: string } | null;
                } | null;
              }
            | {
                id: string;
                org: string;
                seenAt: string;
                note: string | null;
                classification: Classification;
                forum: {
                  forum: { id: string; name: string } | { id: string; name: string } | { id: string; name: string } | { id: string; name: string } | null;
                } | null;
              }
            | {
                id: string;
                org: string;
                seenAt: string;
                note: string | null;
                classification: Classification;
                forum: {
                  forum: { id: string; name: string } | { id: string; name: string } | { id: string; name: string } | { id: string; name: string } | null;
                } | null;
              }
          >;
          pageInfo: { endCursor: string | null; hasNextPage: boolean };
        } | null;
      }
    | {
        id: string;
        sightings: {
          nodes: Array<
            | {
                id: string;
                org: string;
                seenAt: string;
                note: string | null;
                classification: Classification;
                forum: {
                  forum: { id: string; name: string } | { id: string; name: string } | { id: string; name: string } | { id: string; name: string } | null;
                } | null;
              }
            | {
                id: string;
                org: string;
                seenAt: string;
                note: string | null;
                classification: Classification;
                forum: {
                  forum: { id: string; name: string } | { id: string; name: string } | { id: string; name: string } | { id: string; name: string } | null;
                } | null;
              }
            | {
                id: string;
                org: string;
                seenAt: string;
                note: string | null;
                classification: Classification;
                forum: {
                  forum: { id: string; name: string } | { id: string; name: string } | { id: string; name: string } | { id: string; name: string } | null;
                } | null;
              }
            | {
                id: string;
                org: string;
                seenAt: string;
                note: string | null;
                classification: Classification;
                forum: {
                  forum: { id: string; name: string } | { id: string; name: string } | { id: string; name: string } | { id: string; name: string } | null;
                } | null;
              }
          >;
          pageInfo: { endCursor: string | null; hasNextPage: boolean };
        } | null;
      }
    | {
        id: string;
        sightings: {
          nodes: Array<
            | {
                id: string;
                org: string;
                seenAt: string;
                note: string | null;
                classification: Classification;
                forum: {
                  forum: { id: string; name: string } | { id: string; name: string } | { id: string; name: string } | { id: string; name: string } | null;
                } | null;
              }
            | {
                id: string;
                org: string;
                seenAt: string;
                note: string | null;
                classification: Classification;
                forum: {
                  forum: { id: string; name: string } | { id: string; name: string } | { id: string; name: string } | { id: string; name: string } | null;
                } | null;
              }
            | {
                id: string;
                org: string;
                seenAt: string;
                note: string | null;
                classification: Classification;
                forum: {
                  forum: { id: string; name: string } | { id: string; name: string } | { id: string; name: string } | { id: string; name: string } | null;
                } | null;
              }
            | {
                id: string;
                org: string;
                seenAt: string;
                note: string | null;
                classification: Classification;
                forum: {
                  forum: { id: string; name: string } | { id: string; name: string } | { id: string; name: string } | { id: string; name: string } | null;
                } | null;
              }
          >;
          pageInfo: { endCursor: string | null; hasNextPage: boolean };
        } | null;
      }
    | null;
};

export type MonitoringOverlapsQueryVariables = Exact<{
  after?: string | null | undefined;
}>;

export type MonitoringOverlapsQuery = {
  monitoringOverview: {
    overlaps: {
      nodes: Array<{
        orgs: Array<string>;
        covertInvolved: boolean;
        forum: {
          forum:
            | { id: string; name: string; platform: Platform; owner: string; riskLevel: ForumRiskLevel; classification: Classification }
            | { id: string; name: string; platform: Platform; owner: string; riskLevel: ForumRiskLevel; classification: Classification }
            | { id: string; name: string; platform: Platform; owner: string; riskLevel: ForumRiskLevel; classification: Classification }
            | { id: string; name: string; platform: Platform; owner: string; riskLevel: ForumRiskLevel; classification: Classification }
            | null;
        };
        assignments: Array<
          | {
              id: string;
              org: string;
              covert: boolean;
              active: boolean;
              from: string;
              to: string | null;
              classification: Classification;
              leadOfficer: { name: string; email: string; phone: string };
            }
          | {
              id: string;
              org: string;
              covert: boolean;
              active: boolean;
              from: string;
              to: string | null;
              classification: Classification;
              leadOfficer: { name: string; email: string; phone: string };
            }
          | {
              id: string;
              org: string;
              covert: boolean;
              active: boolean;
              from: string;
              to: string | null;
              classification: Classification;
              leadOfficer: { name: string; email: string; phone: string };
            }
          | {
              id: string;
              org: string;
              covert: boolean;
              active: boolean;
              from: string;
              to: string | null;
              classification: Classification;
              leadOfficer: { name: string; email: string; phone: string };
            }
        >;
      }>;
      pageInfo: { endCursor: string | null; hasNextPage: boolean };
    };
  };
};

export type UnmonitoredHighRiskQueryVariables = Exact<{
  after?: string | null | undefined;
}>;

export type UnmonitoredHighRiskQuery = {
  monitoringOverview: {
    unmonitoredHighRisk: {
      nodes: Array<{
        recordId: string;
        lastMonitoredUntil: string | null;
        forum: {
          forum:
            | { id: string; name: string; platform: Platform; classification: Classification }
            | { id: string; name: string; platform: Platform; classification: Classification }
            | { id: string; name: string; platform: Platform; classification: Classification }
            | { id: string; name: string; platform: Platform; classification: Classification }
            | null;
        };
        org: { code: string; spoc: { name: string; email: string; phone: string } };
        access: { level: AccessLevel; reason: string };
      }>;
      pageInfo: { endCursor: string | null; hasNextPage: boolean };
    };
  };
};

export type RequestAccessMutationVariables = Exact<{
  recordId: string | number;
  purpose: string;
}>;

export type RequestAccessMutation = { requestAccess: { id: string; owner: string; status: AccessRequestStatus } };

export type AccessRequestsQueryVariables = Exact<{
  status?: AccessRequestStatus | null | undefined;
  after?: string | null | undefined;
}>;

export type AccessRequestsQuery = {
  accessRequests: {
    nodes: Array<{
      id: string;
      recordId: string;
      owner: string;
      requesterOrg: string;
      requesterSub: string;
      purpose: string;
      status: AccessRequestStatus;
      createdAt: string;
      decidedAt: string | null;
      decidedBy: string | null;
      note: string | null;
      grantExpiresAt: string | null;
    }>;
    pageInfo: { endCursor: string | null; hasNextPage: boolean };
  };
};

export type DecideAccessRequestMutationVariables = Exact<{
  id: string | number;
  decision: AccessDecision;
  expiresAt?: string | null | undefined;
  note?: string | null | undefined;
}>;

export type DecideAccessRequestMutation = { decideAccessRequest: { id: string; status: AccessRequestStatus } };

export type SearchQueryVariables = Exact<{
  query: string;
  platform?: Platform | null | undefined;
  fuzzy: boolean;
  after?: string | null | undefined;
}>;

export type SearchQuery = {
  orgs: Array<{ code: string; name: string }>;
  search: {
    nodes: Array<{
      recordId: string;
      selector: string;
      match: SearchMatch;
      score: number;
      org: { code: string; name: string; spoc: { name: string; email: string; phone: string } };
      access: { level: AccessLevel; reason: string };
      identity:
        | {
            id: string;
            handle: string;
            platform: Platform;
            platformOther: string | null;
            displayName: string | null;
            status: IdentityStatus;
            classification: Classification;
            covert: boolean;
            lastSeen: string | null;
            grading: {
              source: SourceEvaluation;
              assessment: IntelligenceAssessment;
              handling: HandlingCode;
              conditions: string | null;
              conditionsOrgs: Array<string>;
            };
          }
        | {
            id: string;
            handle: string;
            platform: Platform;
            platformOther: string | null;
            displayName: string | null;
            status: IdentityStatus;
            classification: Classification;
            covert: boolean;
            lastSeen: string | null;
            grading: {
              source: SourceEvaluation;
              assessment: IntelligenceAssessment;
              handling: HandlingCode;
              conditions: string | null;
              conditionsOrgs: Array<string>;
            };
          }
        | {
            id: string;
            handle: string;
            platform: Platform;
            platformOther: string | null;
            displayName: string | null;
            status: IdentityStatus;
            classification: Classification;
            covert: boolean;
            lastSeen: string | null;
            grading: {
              source: SourceEvaluation;
              assessment: IntelligenceAssessment;
              handling: HandlingCode;
              conditions: string | null;
              conditionsOrgs: Array<string>;
            };
          }
        | {
            id: string;
            handle: string;
            platform: Platform;
            platformOther: string | null;
            displayName: string | null;
            status: IdentityStatus;
            classification: Classification;
            covert: boolean;
            lastSeen: string | null;
            grading: {
              source: SourceEvaluation;
              assessment: IntelligenceAssessment;
              handling: HandlingCode;
              conditions: string | null;
              conditionsOrgs: Array<string>;
            };
          }
        | null;
    }>;
    pageInfo: { endCursor: string | null; hasNextPage: boolean };
  };
};

export type SearchDeconflictionQueryVariables = Exact<{ [key: string]: never }>;

export type SearchDeconflictionQuery = {
  deconflictionAlerts: {
    nodes: Array<{
      id: string;
      trigger: DeconflictionTrigger;
      selector: string;
      lastAt: string;
      yourRecordId: string | null;
      advice: string;
      contact: { name: string; email: string; phone: string };
    }>;
  };
};

export type GradingFieldsFragment = {
  source: SourceEvaluation;
  assessment: IntelligenceAssessment;
  handling: HandlingCode;
  conditions: string | null;
  conditionsOrgs: Array<string>;
};

export type SpocFieldsFragment = { name: string; email: string; phone: string };

export type PageInfoFieldsFragment = { endCursor: string | null; hasNextPage: boolean };

export class TypedDocumentString<TResult, TVariables> extends String implements DocumentTypeDecoration<TResult, TVariables> {
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>["__apiType"]>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const PageInfoFieldsFragmentDoc = new TypedDocumentString(
  `
    fragment PageInfoFields on PageInfo {
  endCursor
  hasNextPage
}
    `,
  { fragmentName: "PageInfoFields" },
) as unknown as TypedDocumentString<PageInfoFieldsFragment, unknown>;
export const AuditPageFieldsFragmentDoc = new TypedDocumentString(
  `
    fragment AuditPageFields on AuditPage {
  nodes {
    seq
    at
    sub
    org
    roles
    purpose
    operation
    action
    requestId
    recipientOrg
    detail
    records {
      id
      kind
      level
      reason
    }
  }
  pageInfo {
    ...PageInfoFields
  }
}
    fragment PageInfoFields on PageInfo {
  endCursor
  hasNextPage
}`,
  { fragmentName: "AuditPageFields" },
) as unknown as TypedDocumentString<AuditPageFieldsFragment, unknown>;
export const SpocFieldsFragmentDoc = new TypedDocumentString(
  `
    fragment SpocFields on SpocContact {
  name
  email
  phone
}
    `,
  { fragmentName: "SpocFields" },
) as unknown as TypedDocumentString<SpocFieldsFragment, unknown>;
export const ExplanationFieldsFragmentDoc = new TypedDocumentString(
  `
    fragment ExplanationFields on AccessExplanation {
  read {
    level
    reason
    contact {
      ...SpocFields
    }
  }
  search {
    level
    reason
  }
}
    fragment SpocFields on SpocContact {
  name
  email
  phone
}`,
  { fragmentName: "ExplanationFields" },
) as unknown as TypedDocumentString<ExplanationFieldsFragment, unknown>;
export const GradingFieldsFragmentDoc = new TypedDocumentString(
  `
    fragment GradingFields on Grading {
  source
  assessment
  handling
  conditions
  conditionsOrgs
}
    `,
  { fragmentName: "GradingFields" },
) as unknown as TypedDocumentString<GradingFieldsFragment, unknown>;
export const CreateAgreementDocument = new TypedDocumentString(`
    mutation CreateAgreement($input: AgreementInput!) {
  createAgreement(input: $input) {
    id
    version
  }
}
    `) as unknown as TypedDocumentString<CreateAgreementMutation, CreateAgreementMutationVariables>;
export const AmendAgreementDocument = new TypedDocumentString(`
    mutation AmendAgreement($id: ID!, $expectedVersion: Int!, $input: AgreementInput!, $reason: String) {
  amendAgreement(
    id: $id
    expectedVersion: $expectedVersion
    input: $input
    reason: $reason
  ) {
    id
    version
  }
}
    `) as unknown as TypedDocumentString<AmendAgreementMutation, AmendAgreementMutationVariables>;
export const SuspendAgreementDocument = new TypedDocumentString(`
    mutation SuspendAgreement($id: ID!, $expectedVersion: Int!, $reason: String!) {
  suspendAgreement(id: $id, expectedVersion: $expectedVersion, reason: $reason) {
    id
    version
  }
}
    `) as unknown as TypedDocumentString<SuspendAgreementMutation, SuspendAgreementMutationVariables>;
export const ReinstateAgreementDocument = new TypedDocumentString(`
    mutation ReinstateAgreement($id: ID!, $expectedVersion: Int!, $reason: String!) {
  reinstateAgreement(id: $id, expectedVersion: $expectedVersion, reason: $reason) {
    id
    version
  }
}
    `) as unknown as TypedDocumentString<ReinstateAgreementMutation, ReinstateAgreementMutationVariables>;
export const RevokeAgreementDocument = new TypedDocumentString(`
    mutation RevokeAgreement($id: ID!, $expectedVersion: Int!, $reason: String!) {
  revokeAgreement(id: $id, expectedVersion: $expectedVersion, reason: $reason) {
    id
    version
  }
}
    `) as unknown as TypedDocumentString<RevokeAgreementMutation, RevokeAgreementMutationVariables>;
export const AgreementsDocument = new TypedDocumentString(`
    query Agreements($status: AgreementStatus, $after: String) {
  orgs {
    code
  }
  agreements(first: 20, after: $after, status: $status) {
    nodes {
      id
      name
      members
      kinds
      maxClassification
      status
      validFrom
      validTo
      version
      updatedAt
    }
    pageInfo {
      ...PageInfoFields
    }
  }
}
    fragment PageInfoFields on PageInfo {
  endCursor
  hasNextPage
}`) as unknown as TypedDocumentString<AgreementsQuery, AgreementsQueryVariables>;
export const AgreementHistoryDocument = new TypedDocumentString(`
    query AgreementHistory($id: ID!, $after: String) {
  agreement(id: $id) {
    id
    name
    status
    version
    history(first: 20, after: $after) {
      nodes {
        version
        change
        reason
        changedBy
        changedAt
        members
        kinds
        maxClassification
        status
        validFrom
        validTo
      }
      pageInfo {
        ...PageInfoFields
      }
    }
  }
}
    fragment PageInfoFields on PageInfo {
  endCursor
  hasNextPage
}`) as unknown as TypedDocumentString<AgreementHistoryQuery, AgreementHistoryQueryVariables>;
export const DeconflictionAlertsDocument = new TypedDocumentString(`
    query DeconflictionAlerts($acknowledged: Boolean, $after: String) {
  deconflictionAlerts(first: 20, after: $after, acknowledged: $acknowledged) {
    nodes {
      id
      trigger
      selector
      raisedAt
      lastAt
      occurrences
      yourRecordId
      counterpartOrg
      contact {
        ...SpocFields
      }
      advice
      acknowledgedAt
      acknowledgedBy
    }
    pageInfo {
      ...PageInfoFields
    }
  }
}
    fragment SpocFields on SpocContact {
  name
  email
  phone
}
fragment PageInfoFields on PageInfo {
  endCursor
  hasNextPage
}`) as unknown as TypedDocumentString<DeconflictionAlertsQuery, DeconflictionAlertsQueryVariables>;
export const AcknowledgeAlertDocument = new TypedDocumentString(`
    mutation AcknowledgeAlert($id: ID!) {
  acknowledgeDeconflictionAlert(id: $id) {
    id
    acknowledgedAt
    acknowledgedBy
  }
}
    `) as unknown as TypedDocumentString<AcknowledgeAlertMutation, AcknowledgeAlertMutationVariables>;
export const DeskAlertsDocument = new TypedDocumentString(`
    query DeskAlerts($acknowledged: Boolean, $after: String) {
  deconflictionDeskAlerts(first: 20, after: $after, acknowledged: $acknowledged) {
    nodes {
      id
      trigger
      selector
      raisedAt
      lastAt
      occurrences
      holderOrg
      holderCovert
      holderContact {
        ...SpocFields
      }
      otherOrg
      otherCovert
      otherContact {
        ...SpocFields
      }
      partners
      holderAcknowledgedAt
      otherAcknowledgedAt
    }
    pageInfo {
      ...PageInfoFields
    }
  }
}
    fragment SpocFields on SpocContact {
  name
  email
  phone
}
fragment PageInfoFields on PageInfo {
  endCursor
  hasNextPage
}`) as unknown as TypedDocumentString<DeskAlertsQuery, DeskAlertsQueryVariables>;
export const AuditTrailDocument = new TypedDocumentString(`
    query AuditTrail($kent: Boolean!, $norfolk: Boolean!, $essex: Boolean!, $ceop: Boolean!, $recordId: ID, $sub: String, $org: String, $after: String) {
  kent @include(if: $kent) {
    auditTrail(recordId: $recordId, sub: $sub, org: $org, first: 20, after: $after) {
      ...AuditPageFields
    }
  }
  norfolk @include(if: $norfolk) {
    auditTrail(recordId: $recordId, sub: $sub, org: $org, first: 20, after: $after) {
      ...AuditPageFields
    }
  }
  essex @include(if: $essex) {
    auditTrail(recordId: $recordId, sub: $sub, org: $org, first: 20, after: $after) {
      ...AuditPageFields
    }
  }
  ceop @include(if: $ceop) {
    auditTrail(recordId: $recordId, sub: $sub, org: $org, first: 20, after: $after) {
      ...AuditPageFields
    }
  }
}
    fragment AuditPageFields on AuditPage {
  nodes {
    seq
    at
    sub
    org
    roles
    purpose
    operation
    action
    requestId
    recipientOrg
    detail
    records {
      id
      kind
      level
      reason
    }
  }
  pageInfo {
    ...PageInfoFields
  }
}
fragment PageInfoFields on PageInfo {
  endCursor
  hasNextPage
}`) as unknown as TypedDocumentString<AuditTrailQuery, AuditTrailQueryVariables>;
export const ExplainAccessDocument = new TypedDocumentString(`
    query ExplainAccess($kent: Boolean!, $norfolk: Boolean!, $essex: Boolean!, $ceop: Boolean!, $recordId: ID!, $as: PrincipalInput!) {
  kent @include(if: $kent) {
    explainAccess(recordId: $recordId, as: $as) {
      ...ExplanationFields
    }
  }
  norfolk @include(if: $norfolk) {
    explainAccess(recordId: $recordId, as: $as) {
      ...ExplanationFields
    }
  }
  essex @include(if: $essex) {
    explainAccess(recordId: $recordId, as: $as) {
      ...ExplanationFields
    }
  }
  ceop @include(if: $ceop) {
    explainAccess(recordId: $recordId, as: $as) {
      ...ExplanationFields
    }
  }
}
    fragment ExplanationFields on AccessExplanation {
  read {
    level
    reason
    contact {
      ...SpocFields
    }
  }
  search {
    level
    reason
  }
}
fragment SpocFields on SpocContact {
  name
  email
  phone
}`) as unknown as TypedDocumentString<ExplainAccessQuery, ExplainAccessQueryVariables>;
export const OrgsDocument = new TypedDocumentString(`
    query Orgs {
  orgs {
    code
    name
  }
}
    `) as unknown as TypedDocumentString<OrgsQuery, OrgsQueryVariables>;
export const ForumDocument = new TypedDocumentString(`
    query Forum($id: ID!) {
  forum(id: $id) {
    id
    owner
    classification
    covert
    reviewDue
    reviewOverdue
    createdBy
    createdAt
    updatedAt
    access {
      level
      reason
    }
    grading {
      ...GradingFields
    }
    platform
    name
    url
    kind
    riskSummary
    riskLevel
  }
}
    fragment GradingFields on Grading {
  source
  assessment
  handling
  conditions
  conditionsOrgs
}`) as unknown as TypedDocumentString<ForumQuery, ForumQueryVariables>;
export const ForumMonitoringDocument = new TypedDocumentString(`
    query ForumMonitoring($id: ID!, $after: String) {
  forum(id: $id) {
    id
    monitoring(first: 20, after: $after) {
      nodes {
        id
        org
        from
        to
        active
        covert
        classification
        leadOfficer {
          name
          email
          phone
        }
      }
      pageInfo {
        ...PageInfoFields
      }
    }
  }
}
    fragment PageInfoFields on PageInfo {
  endCursor
  hasNextPage
}`) as unknown as TypedDocumentString<ForumMonitoringQuery, ForumMonitoringQueryVariables>;
export const LinkGraphDocument = new TypedDocumentString(`
    query LinkGraph($rootId: ID!, $depth: Int!) {
  orgs {
    code
  }
  linkGraph(rootId: $rootId, depth: $depth) {
    root {
      id
    }
    nodes {
      id
      owner
      classification
      ... on OnlineIdentity {
        handle
      }
      ... on Forum {
        name
      }
    }
    edges {
      id
      linkType
      classification
      from {
        identity {
          id
        }
      }
      toIdentity {
        identity {
          id
        }
      }
      toForum {
        forum {
          id
        }
      }
    }
    truncated
    unavailableOrgs
  }
}
    `) as unknown as TypedDocumentString<LinkGraphQuery, LinkGraphQueryVariables>;
export const IdentityDocument = new TypedDocumentString(`
    query Identity($id: ID!) {
  identity(id: $id) {
    id
    owner
    classification
    covert
    reviewDue
    reviewOverdue
    createdBy
    createdAt
    updatedAt
    access {
      level
      reason
    }
    grading {
      ...GradingFields
    }
    platform
    platformOther
    handle
    normalisedHandle
    displayName
    profileUrl
    status
    notes
    firstSeen
    lastSeen
    selectors {
      kind
      value
    }
  }
}
    fragment GradingFields on Grading {
  source
  assessment
  handling
  conditions
  conditionsOrgs
}`) as unknown as TypedDocumentString<IdentityQuery, IdentityQueryVariables>;
export const IdentityLinksDocument = new TypedDocumentString(`
    query IdentityLinks($id: ID!, $after: String) {
  identity(id: $id) {
    id
    links(first: 50, after: $after) {
      nodes {
        id
        owner
        linkType
        rationale
        classification
        grading {
          ...GradingFields
        }
        toIdentity {
          identity {
            id
            handle
            owner
          }
        }
        toForum {
          forum {
            id
            name
            owner
          }
        }
      }
      pageInfo {
        ...PageInfoFields
      }
    }
  }
}
    fragment GradingFields on Grading {
  source
  assessment
  handling
  conditions
  conditionsOrgs
}
fragment PageInfoFields on PageInfo {
  endCursor
  hasNextPage
}`) as unknown as TypedDocumentString<IdentityLinksQuery, IdentityLinksQueryVariables>;
export const IdentitySightingsDocument = new TypedDocumentString(`
    query IdentitySightings($id: ID!, $after: String) {
  identity(id: $id) {
    id
    sightings(first: 20, after: $after) {
      nodes {
        id
        org
        seenAt
        note
        classification
        forum {
          forum {
            id
            name
          }
        }
      }
      pageInfo {
        ...PageInfoFields
      }
    }
  }
}
    fragment PageInfoFields on PageInfo {
  endCursor
  hasNextPage
}`) as unknown as TypedDocumentString<IdentitySightingsQuery, IdentitySightingsQueryVariables>;
export const MonitoringOverlapsDocument = new TypedDocumentString(`
    query MonitoringOverlaps($after: String) {
  monitoringOverview {
    overlaps(first: 20, after: $after) {
      nodes {
        forum {
          forum {
            id
            name
            platform
            owner
            riskLevel
            classification
          }
        }
        orgs
        covertInvolved
        assignments {
          id
          org
          covert
          active
          from
          to
          classification
          leadOfficer {
            name
            email
            phone
          }
        }
      }
      pageInfo {
        ...PageInfoFields
      }
    }
  }
}
    fragment PageInfoFields on PageInfo {
  endCursor
  hasNextPage
}`) as unknown as TypedDocumentString<MonitoringOverlapsQuery, MonitoringOverlapsQueryVariables>;
export const UnmonitoredHighRiskDocument = new TypedDocumentString(`
    query UnmonitoredHighRisk($after: String) {
  monitoringOverview {
    unmonitoredHighRisk(first: 20, after: $after) {
      nodes {
        recordId
        forum {
          forum {
            id
            name
            platform
            classification
          }
        }
        org {
          code
          spoc {
            ...SpocFields
          }
        }
        access {
          level
          reason
        }
        lastMonitoredUntil
      }
      pageInfo {
        ...PageInfoFields
      }
    }
  }
}
    fragment SpocFields on SpocContact {
  name
  email
  phone
}
fragment PageInfoFields on PageInfo {
  endCursor
  hasNextPage
}`) as unknown as TypedDocumentString<UnmonitoredHighRiskQuery, UnmonitoredHighRiskQueryVariables>;
export const RequestAccessDocument = new TypedDocumentString(`
    mutation RequestAccess($recordId: ID!, $purpose: String!) {
  requestAccess(recordId: $recordId, purpose: $purpose) {
    id
    owner
    status
  }
}
    `) as unknown as TypedDocumentString<RequestAccessMutation, RequestAccessMutationVariables>;
export const AccessRequestsDocument = new TypedDocumentString(`
    query AccessRequests($status: AccessRequestStatus, $after: String) {
  accessRequests(first: 20, after: $after, status: $status) {
    nodes {
      id
      recordId
      owner
      requesterOrg
      requesterSub
      purpose
      status
      createdAt
      decidedAt
      decidedBy
      note
      grantExpiresAt
    }
    pageInfo {
      ...PageInfoFields
    }
  }
}
    fragment PageInfoFields on PageInfo {
  endCursor
  hasNextPage
}`) as unknown as TypedDocumentString<AccessRequestsQuery, AccessRequestsQueryVariables>;
export const DecideAccessRequestDocument = new TypedDocumentString(`
    mutation DecideAccessRequest($id: ID!, $decision: AccessDecision!, $expiresAt: DateTimeISO, $note: String) {
  decideAccessRequest(
    id: $id
    decision: $decision
    expiresAt: $expiresAt
    note: $note
  ) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<DecideAccessRequestMutation, DecideAccessRequestMutationVariables>;
export const SearchDocument = new TypedDocumentString(`
    query Search($query: String!, $platform: Platform, $fuzzy: Boolean!, $after: String) {
  orgs {
    code
    name
  }
  search(
    query: $query
    platform: $platform
    fuzzy: $fuzzy
    first: 20
    after: $after
  ) {
    nodes {
      recordId
      selector
      match
      score
      org {
        code
        name
        spoc {
          ...SpocFields
        }
      }
      access {
        level
        reason
      }
      identity {
        id
        handle
        platform
        platformOther
        displayName
        status
        classification
        covert
        lastSeen
        grading {
          ...GradingFields
        }
      }
    }
    pageInfo {
      ...PageInfoFields
    }
  }
}
    fragment GradingFields on Grading {
  source
  assessment
  handling
  conditions
  conditionsOrgs
}
fragment SpocFields on SpocContact {
  name
  email
  phone
}
fragment PageInfoFields on PageInfo {
  endCursor
  hasNextPage
}`) as unknown as TypedDocumentString<SearchQuery, SearchQueryVariables>;
export const SearchDeconflictionDocument = new TypedDocumentString(`
    query SearchDeconfliction {
  deconflictionAlerts(first: 20, acknowledged: false) {
    nodes {
      id
      trigger
      selector
      lastAt
      yourRecordId
      advice
      contact {
        ...SpocFields
      }
    }
  }
}
    fragment SpocFields on SpocContact {
  name
  email
  phone
}`) as unknown as TypedDocumentString<SearchDeconflictionQuery, SearchDeconflictionQueryVariables>;
