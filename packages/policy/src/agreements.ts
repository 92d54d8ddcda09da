import { classificationRank, type Classification, type RecordKind } from "@interforce/domain";
import type { Agreement } from "./types.js";

export function isAgreementInForce(a: Agreement, now: Date): boolean {
  return a.status === "ACTIVE" && a.validFrom <= now && (a.validTo === null || now < a.validTo);
}

/** Agreements in force today that bind both orgs and cover the record kind. */
export function bindingAgreements(agreements: readonly Agreement[], ownerOrg: string, readerOrg: string, kind: RecordKind, now: Date): Agreement[] {
  return agreements.filter((a) => isAgreementInForce(a, now) && a.members.includes(ownerOrg) && a.members.includes(readerOrg) && a.kinds.includes(kind));
}

/** The highest classification any binding agreement shares, or null when none binds. */
export function highestSharedClassification(binding: readonly Agreement[]): Classification | null {
  let best: Classification | null = null;
  for (const a of binding) {
    if (best === null || classificationRank(a.maxClassification) > classificationRank(best)) best = a.maxClassification;
  }
  return best;
}

/**
 * Whether two orgs are partners: an agreement in force binds both (any record kind). An org
 * is its own partner. Hit/no-hit answers, overt monitoring and the naming of a counterpart
 * in a deconfliction alert are shared only between partners.
 */
export function arePartners(agreements: readonly Agreement[], a: string, b: string, now: Date): boolean {
  return a === b || agreements.some((x) => isAgreementInForce(x, now) && x.members.includes(a) && x.members.includes(b));
}

/** The partner test for one org against every other, computed once per request. */
export function partnersOf(agreements: readonly Agreement[], org: string, now: Date): (other: string) => boolean {
  const inForce = agreements.filter((x) => isAgreementInForce(x, now) && x.members.includes(org));
  return (other) => other === org || inForce.some((x) => x.members.includes(other));
}
