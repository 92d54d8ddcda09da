/**
 * Which pages a principal is offered. Only a convenience: the server decides every request
 * (packages/policy), and a refusal is shown as the page's error state.
 */
import type { VerifiedPrincipal } from "../api/session-endpoints";

export type NavArea = "search" | "graph" | "monitoring" | "alerts" | "requests" | "audit" | "explain" | "agreements";

/** The national desk that brokers deconfliction (packages/policy: DECONFLICTION_DESK_ORG). */
const DESK_ORG = "CEOP";

const has = (p: VerifiedPrincipal, ...roles: string[]): boolean => p.roles.some((r) => roles.includes(r));

const RULES: Record<NavArea, (p: VerifiedPrincipal) => boolean> = {
  // A policy admin manages agreements and reads no intelligence.
  search: (p) => has(p, "OFFICER", "ANALYST", "FORCE_ADMIN", "SERVICE"),
  graph: (p) => has(p, "OFFICER", "ANALYST", "FORCE_ADMIN", "SERVICE"),
  monitoring: (p) => p.org === DESK_ORG && has(p, "ANALYST", "FORCE_ADMIN"),
  alerts: (p) => has(p, "ANALYST", "FORCE_ADMIN"),
  requests: () => true,
  audit: (p) => has(p, "FORCE_ADMIN"),
  explain: (p) => has(p, "FORCE_ADMIN"),
  agreements: () => true,
};

export const mayUse = (p: VerifiedPrincipal, area: NavArea): boolean => RULES[area](p);

export const mayManageAgreements = (p: VerifiedPrincipal): boolean => has(p, "POLICY_ADMIN");

export const isDesk = (p: VerifiedPrincipal): boolean => RULES.monitoring(p);
