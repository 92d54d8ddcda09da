import { classificationRank, type Principal } from "@interforce/domain";
import { bindingAgreements, highestSharedClassification } from "./agreements.js";
import type { Agreement, Decision, PolicyRecord } from "./types.js";

const none = (reason: string): Decision => ({ level: "NONE", reason });

/**
 * The single place that decides whether a principal may read a record. Pure: the caller
 * supplies the agreements and the clock. `toSqlPredicate` compiles the same rules for
 * list queries; the two must agree on every input.
 */
export function decide(
  principal: Principal,
  record: PolicyRecord,
  agreements: readonly Agreement[],
  now: Date = new Date(),
): Decision {
  // Clearance binds everyone, the owner's own officers included.
  if (classificationRank(principal.clearance) < classificationRank(record.classification)) {
    return none("clearance below classification");
  }
  if (principal.org === record.owner) {
    // Undercover assets are visible only to the owner's officers cleared for covert work.
    if (record.covert && !principal.covert) return none("covert record needs covert clearance");
    return { level: "FULL", reason: "owner" };
  }
  if (record.covert) return none("covert records never leave the owner");
  if (record.reviewDue !== null && record.reviewDue <= now) return none("past MoPI review date");
  if (record.handling === "C" && !record.handlingOrgs.includes(principal.org)) {
    return none("handling conditions exclude the org");
  }
  const binding = bindingAgreements(agreements, record.owner, principal.org, record.kind, now);
  const ceiling = highestSharedClassification(binding);
  if (ceiling === null) return none("no agreement in force");
  if (classificationRank(record.classification) > classificationRank(ceiling)) {
    return none("classification above agreement ceiling");
  }
  return { level: "FULL", reason: "joint-monitoring agreement" };
}
