import type { Principal } from "@interforce/domain";
import { decide, REASONS } from "./decide.js";
import type { PolicyRecord } from "./types.js";

/**
 * A writer records or changes a record only into markings it may itself read in full, so the
 * mutation's answer (the record as written) is one the read rule lets it see, and no one
 * records what their own force would withhold from them: a classification above their
 * clearance, or a covert record without the covert claim. Null when allowed; otherwise the
 * input field at fault and why.
 */
export function writeCeiling(p: Principal, record: PolicyRecord): { field: "classification" | "covert"; message: string } | null {
  // An owner's decision on its own record depends on no agreement, grant or clock.
  const d = decide(p, record, { agreements: [], grants: [], now: new Date(0) });
  if (d.level === "FULL") return null;
  if (d.reason === REASONS.clearance)
    return { field: "classification", message: `is above your clearance (${p.clearance}): you could not read what you would record` };
  if (d.reason === REASONS.covertClaim) return { field: "covert", message: "needs the covert claim: you could not read what you would record" };
  return { field: "classification", message: `cannot be written by you: ${d.reason}` };
}
