import type { DataSource } from "typeorm";
import type { AuditLog } from "@interforce/audit";
import type { ForceClient } from "../modules/force-client.js";
import type { Principal } from "@interforce/domain";
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
}

/** Every read of intelligence states why (DPA 2018 s.62); the purpose goes to the audit log. */
export function requirePurpose(ctx: HubContext): void {
  if (!ctx.purpose) throw appError("PURPOSE_REQUIRED", "State the purpose of this read in the x-purpose header");
}

