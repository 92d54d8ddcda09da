import type { Principal } from "@interforce/domain";
import { decide } from "./decide.js";
import { decideLink } from "./links.js";
import type { Decision, PolicyInputs, PolicyRecord } from "./types.js";

export interface Explanation {
  read: Decision;
  search: Decision;
}

/**
 * `explainAccess`: what `as` would get of a record of the admin's force, on a read and on a
 * search, by the same rules every path applies (a link with its own-org ends). Need-to-know
 * binds the admin: one who may not read the record in full is told nothing (null), exactly
 * as for an id that names no record.
 */
export function explainAccess(
  admin: Principal,
  as: Principal,
  record: PolicyRecord,
  inputs: PolicyInputs,
  ownEnds: readonly (PolicyRecord | null)[] = [],
): Explanation | null {
  const ends = (p: Principal) => ownEnds.map((e) => (e ? decide(p, e, inputs) : null));
  const adminSees = decideLink(decide(admin, record, inputs), record.kind === "link" ? ends(admin) : []);
  if (adminSees.level !== "FULL" || admin.org !== record.owner || !admin.roles.includes("FORCE_ADMIN")) return null;
  const endsOfAs = record.kind === "link" ? ends(as) : [];
  return {
    read: decideLink(decide(as, record, inputs, "read"), endsOfAs),
    search: record.kind === "link" ? decideLink(decide(as, record, inputs, "search"), endsOfAs) : decide(as, record, inputs, "search"),
  };
}
