import type { DataSource } from "typeorm";
import type { AuditLog } from "@interforce/audit";
import type { ForceClient } from "../modules/force-client.js";
import { openRef, sealedBy, sealRef, type SelectorKeyRing } from "@interforce/auth";
import { parseGlobalId, type Principal } from "@interforce/domain";
import { appError, type Logger } from "@interforce/server-kit";

export interface HubContext {
  principal: Principal;
  purpose: string | null;
  requestId: string;
  db: DataSource;
  log: Logger;
  audit: AuditLog;
  /** The caller's verified bearer token, forwarded when the hub asks forces on its behalf. */
  token: string;
  forces: ForceClient;
  /** Sealed references (see @interforce/auth sealed-ref): opened to ask the owner, sealed for the hub's own. */
  refs: RefSeal;
  /** The selector keys: what the index is searched under, and what opens its sealed copies. */
  keys: SelectorKeyRing;
}

export interface RefSeal {
  /** The id a sealed reference names, or null for anything not sealed by a force of the registry. */
  open(token: string): string | null;
  /** Seals a reference to a record, under its owner's secret. */
  seal(id: string): string;
}

export function refSeal(secrets: Record<string, string>): RefSeal {
  return {
    open(token) {
      const org = sealedBy(token);
      const secret = org && Object.hasOwn(secrets, org) ? secrets[org]! : null;
      return secret ? openRef(secret, token) : null;
    },
    seal(id) {
      const org = parseGlobalId(id)?.org;
      if (!org || !Object.hasOwn(secrets, org)) throw new Error(`no service secret to seal a reference of ${org ?? "an unknown org"}`);
      return sealRef(secrets[org]!, org, id);
    },
  };
}

/** Every read of intelligence states why (DPA 2018 s.62); the purpose goes to the audit log. */
export function requirePurpose(ctx: HubContext): void {
  if (!ctx.purpose) throw appError("PURPOSE_REQUIRED", "State the purpose of this read in the x-purpose header");
}
