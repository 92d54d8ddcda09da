import type { Principal, Role } from "@interforce/domain";
import { isDeconflictionDesk } from "./roles.js";

/**
 * The catalogue of actions: every query and mutation of the API names one, and this table
 * says which principals may perform it. It decides only whether the action may be attempted;
 * what each record shows is decided by that record's own rule (decide, mayKnowAssignment…),
 * so a principal allowed to list may still see nothing.
 *
 * `scope`:
 * - `any`: a principal of any org;
 * - `own-org`: only a principal of the org whose namespace it is (`kent { … }` for KENT);
 * - `desk`: only the CEOP deconfliction desk (see isDeconflictionDesk).
 * `covert`: also needs the covert claim. `purpose`: the request must state a purpose (a read
 * of intelligence or of the audit, DPA 2018 s.62).
 */
export interface ActionRule {
  roles: readonly Role[];
  scope: "any" | "own-org" | "desk";
  covert?: boolean;
  purpose: boolean;
  /** For the refusal message and the docs. */
  description: string;
}

const ALL: readonly Role[] = ["OFFICER", "ANALYST", "FORCE_ADMIN", "POLICY_ADMIN", "SERVICE"];
/** Roles that record and change their own force's intelligence. */
const WRITERS: readonly Role[] = ["OFFICER", "FORCE_ADMIN", "SERVICE"];

export const ACTIONS = {
  // ---- reads of intelligence (each record then decided by its own rule) ----
  "org.list": { roles: ALL, scope: "any", purpose: false, description: "list the orgs of the registry and their SPOCs" },
  "record.read": { roles: ALL, scope: "any", purpose: true, description: "read a record by id" },
  "record.list": { roles: ALL, scope: "any", purpose: true, description: "list records" },
  "selector.search": { roles: ALL, scope: "any", purpose: true, description: "search for who holds a selector" },
  "link.graph": { roles: ALL, scope: "any", purpose: true, description: "walk the link graph around an identity" },
  "monitoring.list": { roles: ALL, scope: "any", purpose: true, description: "list monitoring assignments" },
  "sighting.list": { roles: ALL, scope: "any", purpose: true, description: "list sightings" },
  "monitoring.overview": {
    roles: ["ANALYST", "FORCE_ADMIN"],
    scope: "desk",
    purpose: true,
    description: "see where monitoring overlaps and which high-risk forums nobody watches (CEOP deconfliction desk)",
  },

  // ---- writes into a force's own namespace (each named record first decided by its read rule) ----
  "record.write": { roles: WRITERS, scope: "own-org", purpose: false, description: "write into the force's own records" },
  "identity.record": { roles: WRITERS, scope: "own-org", purpose: false, description: "record an online identity" },
  "forum.record": { roles: WRITERS, scope: "own-org", purpose: false, description: "record a forum" },
  "link.record": { roles: WRITERS, scope: "own-org", purpose: false, description: "record a suspect link" },
  "record.reclassify": { roles: WRITERS, scope: "own-org", purpose: false, description: "change a record's classification" },
  "record.review": { roles: WRITERS, scope: "own-org", purpose: false, description: "retain or erase a record at MoPI review" },
  "forum.setRisk": { roles: WRITERS, scope: "own-org", purpose: false, description: "change a forum's risk level" },
  "monitoring.assign": { roles: WRITERS, scope: "own-org", purpose: false, description: "record a monitoring assignment" },
  "monitoring.end": { roles: WRITERS, scope: "own-org", purpose: false, description: "end a monitoring assignment" },
  "sighting.record": { roles: WRITERS, scope: "own-org", purpose: false, description: "record a sighting" },

  // ---- force administration (need-to-know still limits what is shown) ----
  "access.explain": {
    roles: ["FORCE_ADMIN"],
    scope: "own-org",
    purpose: true,
    description: "explain what a principal would get of one of the force's records",
  },
  "audit.read": { roles: ["FORCE_ADMIN"], scope: "own-org", purpose: true, description: "read the force's audit trail" },

  // ---- deconfliction ----
  "alert.list": { roles: ["ANALYST", "FORCE_ADMIN"], scope: "any", purpose: true, description: "list the org's deconfliction alerts" },
  "alert.acknowledge": { roles: ["ANALYST", "FORCE_ADMIN"], scope: "any", purpose: false, description: "acknowledge a deconfliction alert" },
  "alert.desk.list": {
    roles: ["ANALYST", "FORCE_ADMIN"],
    scope: "desk",
    covert: true,
    purpose: true,
    description: "list the alerts the CEOP deconfliction desk brokers",
  },

  // ---- hit/no-hit follow-up ----
  "access.request": { roles: ALL, scope: "any", purpose: false, description: "ask the owner of a POINTER hit to release the record" },
  "access.request.list": { roles: ALL, scope: "any", purpose: false, description: "list access requests (made by the caller, or for the org's records)" },
  "access.decide": { roles: ["FORCE_ADMIN"], scope: "any", purpose: true, description: "grant or decline a request for one of the org's records" },

  // ---- agreements ----
  "agreement.read": { roles: ALL, scope: "any", purpose: false, description: "read joint-monitoring agreements" },
  "agreement.manage": { roles: ["POLICY_ADMIN"], scope: "any", purpose: false, description: "create, amend, suspend, reinstate or revoke agreements" },
} as const satisfies Record<string, ActionRule>;

export type Action = keyof typeof ACTIONS;

export type ActionVerdict = { allowed: true } | { allowed: false; reason: string };

/**
 * Whether the principal may attempt the action. `org` is the org whose namespace the action
 * is in (for `own-org` actions).
 */
export function may(principal: Principal, action: Action, target: { org?: string } = {}): ActionVerdict {
  const rule: ActionRule = ACTIONS[action];
  if (rule.scope === "own-org" && (target.org === undefined || principal.org !== target.org)) {
    return { allowed: false, reason: `Only ${target.org ?? "the owning org's"} principals may ${rule.description}` };
  }
  if (!principal.roles.some((r) => rule.roles.includes(r))) {
    return { allowed: false, reason: `To ${rule.description} needs one of the roles ${rule.roles.join(", ")}` };
  }
  if (rule.scope === "desk" && !isDeconflictionDesk(principal)) {
    return { allowed: false, reason: `Only the CEOP deconfliction desk may ${rule.description}` };
  }
  if (rule.covert && !principal.covert) return { allowed: false, reason: `To ${rule.description} needs the covert claim` };
  return { allowed: true };
}

/** Whether the action needs a stated purpose. */
export const needsPurpose = (action: Action): boolean => ACTIONS[action].purpose;

/**
 * The action of every root and namespace field of the API. `Org.` stands for each org's
 * namespace types (`KentQuery`, `KentMutation`…). A schema walk checks that no field lacks one.
 */
export const FIELD_ACTIONS: Record<string, Action> = {
  "Query.orgs": "org.list",
  "Query.identity": "record.read",
  "Query.forum": "record.read",
  "Query.suspectLink": "record.read",
  "Query.identities": "record.list",
  "Query.forums": "record.list",
  "Query.search": "selector.search",
  "Query.linkGraph": "link.graph",
  "Query.monitoringOverview": "monitoring.overview",
  "Query.deconflictionAlerts": "alert.list",
  "Query.deconflictionDeskAlerts": "alert.desk.list",
  "Query.accessRequests": "access.request.list",
  "Query.agreements": "agreement.read",
  "Query.agreement": "agreement.read",
  "Query.<org>": "record.list",
  "Mutation.createAgreement": "agreement.manage",
  "Mutation.amendAgreement": "agreement.manage",
  "Mutation.suspendAgreement": "agreement.manage",
  "Mutation.reinstateAgreement": "agreement.manage",
  "Mutation.revokeAgreement": "agreement.manage",
  "Mutation.requestAccess": "access.request",
  "Mutation.decideAccessRequest": "access.decide",
  "Mutation.acknowledgeDeconflictionAlert": "alert.acknowledge",
  "Mutation.<org>": "record.write",
  "OrgQuery.identities": "record.list",
  "OrgQuery.forums": "record.list",
  "OrgQuery.links": "record.list",
  "OrgQuery.identity": "record.read",
  "OrgQuery.forum": "record.read",
  "OrgQuery.link": "record.read",
  "OrgQuery.explainAccess": "access.explain",
  "OrgQuery.auditTrail": "audit.read",
  "OrgQuery.monitoringAssignments": "monitoring.list",
  "OrgQuery.sightings": "sighting.list",
  "OrgMutation.recordOnlineIdentity": "identity.record",
  "OrgMutation.recordForum": "forum.record",
  "OrgMutation.linkIdentities": "link.record",
  "OrgMutation.reclassifyRecord": "record.reclassify",
  "OrgMutation.reviewRecord": "record.review",
  "OrgMutation.setForumRiskLevel": "forum.setRisk",
  "OrgMutation.assignMonitoring": "monitoring.assign",
  "OrgMutation.endMonitoring": "monitoring.end",
  "OrgMutation.recordSighting": "sighting.record",
};

/** The catalogue key of a schema field: namespace types of every org map to `OrgQuery`/`OrgMutation`, namespace fields to `<org>`. */
export function fieldActionKey(typeName: string, field: string, org: { typePrefix: string; ns: string }[]): string {
  const ns = org.find((o) => typeName === `${o.typePrefix}Query` || typeName === `${o.typePrefix}Mutation`);
  if (ns) return `${typeName.endsWith("Query") ? "OrgQuery" : "OrgMutation"}.${field}`;
  if ((typeName === "Query" || typeName === "Mutation") && org.some((o) => o.ns === field)) return `${typeName}.<org>`;
  return `${typeName}.${field}`;
}
