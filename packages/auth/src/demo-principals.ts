import type { Classification, Role } from "@interforce/domain";

/**
 * The people of the demo federation: whom the console's development sign-in offers, each
 * minted a token with the stack's development key (the gateway's `/console/session/token`).
 * Production signs in with the identity provider's tokens and never sees these.
 */
export interface DemoPrincipal {
  /** Stable id the console and the tests pick by (`kent-analyst`). */
  id: string;
  label: string;
  sub: string;
  org: string;
  roles: Role[];
  clearance: Classification;
  covert: boolean;
}

const p = (id: string, label: string, org: string, roles: Role[], clearance: Classification, covert = false): DemoPrincipal => ({
  id,
  label,
  sub: `demo-${id}`,
  org,
  roles,
  clearance,
  covert,
});

export const DEMO_PRINCIPALS: readonly DemoPrincipal[] = [
  p("kent-analyst", "Kent analyst", "KENT", ["ANALYST"], "OFFICIAL_SENSITIVE"),
  p("kent-force-admin", "Kent force admin", "KENT", ["FORCE_ADMIN"], "SECRET", true),
  p("norfolk-analyst", "Norfolk analyst", "NORFOLK", ["ANALYST"], "OFFICIAL_SENSITIVE"),
  p("norfolk-force-admin", "Norfolk force admin", "NORFOLK", ["FORCE_ADMIN"], "SECRET", true),
  p("essex-analyst", "Essex analyst", "ESSEX", ["ANALYST"], "OFFICIAL_SENSITIVE"),
  p("essex-force-admin", "Essex force admin", "ESSEX", ["FORCE_ADMIN"], "SECRET", true),
  p("ceop-analyst", "CEOP analyst", "CEOP", ["ANALYST"], "OFFICIAL_SENSITIVE"),
  p("ceop-desk", "CEOP deconfliction desk", "CEOP", ["FORCE_ADMIN"], "SECRET", true),
  // Agreements are the hub's; a policy admin belongs to an org of the registry like every principal.
  p("policy-admin", "Policy admin", "CEOP", ["POLICY_ADMIN"], "SECRET"),
  p("kent-analyst-covert", "Kent analyst (covert)", "KENT", ["ANALYST"], "SECRET", true),
];

export function findDemoPrincipal(id: string): DemoPrincipal | undefined {
  return DEMO_PRINCIPALS.find((d) => d.id === id);
}
