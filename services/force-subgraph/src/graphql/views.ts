import { formatGlobalId, handleSelector, type OrgEntry, type RecordKind } from "@interforce/domain";
import type { Decision, PolicyRecord } from "@interforce/policy";
import type { ForumRow, IdentityRow, LinkRow, MarkedRecord } from "../db/entities.js";
import { refTo } from "../refs.js";

/** The org-specific GraphQL type names a record is returned as. */
export interface OrgTypeNames {
  identity: string;
  forum: string;
  link: string;
}

export function typeNamesFor(typePrefix: string): OrgTypeNames {
  return {
    identity: `${typePrefix}OnlineIdentity`,
    forum: `${typePrefix}Forum`,
    link: `${typePrefix}SuspectLink`,
  };
}

export function policyRecord(org: string, kind: RecordKind, row: MarkedRecord): PolicyRecord {
  return {
    id: formatGlobalId(org, kind, row.id),
    owner: org,
    kind,
    classification: row.classification as PolicyRecord["classification"],
    handling: row.handling as PolicyRecord["handling"],
    handlingOrgs: row.handlingOrgs ?? [],
    covert: row.covert,
    reviewDue: row.reviewDue,
  };
}

function common(orgEntry: OrgEntry, kind: RecordKind, row: MarkedRecord, decision: Decision) {
  const org = orgEntry.code;
  return {
    id: formatGlobalId(org, kind, row.id),
    owner: org,
    access: { level: decision.level, reason: decision.reason, contact: orgEntry.spoc },
    reviewOverdue: row.reviewDue !== null && row.reviewDue.getTime() <= Date.now(),
    classification: row.classification,
    grading: {
      source: row.sourceEvaluation,
      assessment: row.assessment,
      handling: row.handling,
      conditions: row.handlingConditions,
      conditionsOrgs: row.handlingOrgs ?? [],
    },
    covert: row.covert,
    reviewDue: row.reviewDue,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export type IdentityView = ReturnType<typeof identityView>;
export type ForumView = ReturnType<typeof forumView>;
export type LinkView = ReturnType<typeof linkView>;

export function identityView(org: OrgEntry, names: OrgTypeNames, row: IdentityRow, decision: Decision) {
  return {
    __typename: names.identity,
    ...common(org, "identity", row, decision),
    platform: row.platform,
    platformOther: row.platformOther,
    handle: row.handle,
    normalisedHandle: row.normalisedHandle,
    displayName: row.displayName,
    profileUrl: row.profileUrl,
    status: row.status,
    notes: row.notes,
    firstSeen: row.firstSeen,
    lastSeen: row.lastSeen,
    selectors: [
      { kind: "HANDLE", value: handleSelector(row.handle, row.platform) },
      ...(row.emailHashes ?? []).map((value) => ({ kind: "EMAIL", value })),
      ...(row.phoneHashes ?? []).map((value) => ({ kind: "PHONE", value })),
    ],
  };
}

export function forumView(org: OrgEntry, names: OrgTypeNames, row: ForumRow, decision: Decision) {
  return {
    __typename: names.forum,
    ...common(org, "forum", row, decision),
    platform: row.platform,
    name: row.name,
    url: row.url,
    kind: row.kind,
    riskSummary: row.riskSummary,
    riskLevel: row.riskLevel,
  };
}

export function linkView(org: OrgEntry, names: OrgTypeNames, row: LinkRow, decision: Decision) {
  return {
    __typename: names.link,
    ...common(org, "link", row, decision),
    from: refTo(row.fromId),
    toIdentity: row.toIdentityId ? refTo(row.toIdentityId) : null,
    toForum: row.toForumId ? refTo(row.toForumId) : null,
    linkType: row.linkType,
    rationale: row.rationale,
  };
}
