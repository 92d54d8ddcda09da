import { formatGlobalId, type RecordKind } from "@interforce/domain";
import type { PolicyRecord } from "@interforce/policy";
import type { ForumRow, IdentityRow, LinkRow, MarkedRecord } from "../db/entities.js";

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
    owner: org,
    kind,
    classification: row.classification as PolicyRecord["classification"],
    handling: row.handling as PolicyRecord["handling"],
    handlingOrgs: row.handlingOrgs ?? [],
    covert: row.covert,
    reviewDue: row.reviewDue,
  };
}

function common(org: string, kind: RecordKind, row: MarkedRecord) {
  return {
    id: formatGlobalId(org, kind, row.id),
    owner: org,
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

export function identityView(org: string, names: OrgTypeNames, row: IdentityRow) {
  return {
    __typename: names.identity,
    ...common(org, "identity", row),
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
  };
}

export function forumView(org: string, names: OrgTypeNames, row: ForumRow) {
  return {
    __typename: names.forum,
    ...common(org, "forum", row),
    platform: row.platform,
    name: row.name,
    url: row.url,
    kind: row.kind,
    riskSummary: row.riskSummary,
  };
}

export function linkView(org: string, names: OrgTypeNames, row: LinkRow) {
  return {
    __typename: names.link,
    ...common(org, "link", row),
    from: { id: row.fromId },
    toIdentity: row.toIdentityId ? { id: row.toIdentityId } : null,
    toForum: row.toForumId ? { id: row.toForumId } : null,
    linkType: row.linkType,
    rationale: row.rationale,
  };
}
