import type { Principal } from "@interforce/domain";
import { may, needsPurpose, type Action } from "@interforce/policy";
import { appError, forbidden } from "./errors.js";

/**
 * Every query and mutation starts here: the policy's action catalogue says whether the
 * principal may attempt it (roles, org, desk, covert claim) and whether it needs a stated
 * purpose. A refusal is reported through `refused` (to be audited) before FORBIDDEN is thrown.
 * Services hold no role list of their own.
 */
export async function authorize(
  principal: Principal,
  action: Action,
  opts: { org?: string; purpose?: string | null; refused?: (reason: string) => Promise<void> } = {},
): Promise<void> {
  const verdict = may(principal, action, { org: opts.org });
  if (!verdict.allowed) {
    await opts.refused?.(verdict.reason);
    throw forbidden(verdict.reason);
  }
  if (needsPurpose(action) && !opts.purpose) throw appError("PURPOSE_REQUIRED", "State the purpose of this read in the x-purpose header");
}
