import { z } from "zod";
import { AGREEMENT_STATUSES, CLASSIFICATIONS, RECORD_KINDS } from "@interforce/domain";
import { OrgCode, WireDate } from "./wire.js";

/**
 * What a force needs from the hub to decide on its own records (GET /internal/policy): every
 * agreement, and the grants the force's own owners made (never another force's). The caller
 * is the force that signed the call, so the request has no parameters and no body.
 */

export const POLICY_FEED_PATH = "/internal/policy";

export const PolicyFeedRequest = z.object({}).strict();
export type PolicyFeedRequest = z.infer<typeof PolicyFeedRequest>;

export const WireAgreement = z.object({
  id: z.string().min(1).max(100),
  name: z.string().max(200),
  members: z.array(OrgCode).max(100),
  kinds: z.array(z.enum(RECORD_KINDS)).max(RECORD_KINDS.length),
  maxClassification: z.enum(CLASSIFICATIONS),
  status: z.enum(AGREEMENT_STATUSES),
  validFrom: WireDate,
  validTo: WireDate.nullable(),
});

export const WireGrant = z.object({
  recordId: z.string().max(100),
  /** The org the record is released to. */
  org: OrgCode,
  expiresAt: WireDate,
});

/** Dates travel as ISO strings: the hub `z.encode`s its rows, the force `parse`s them back into Dates. */
export const PolicyFeedResponse = z.object({ agreements: z.array(WireAgreement), grants: z.array(WireGrant) });
/** As the force holds it (Dates). */
export type PolicyFeed = z.output<typeof PolicyFeedResponse>;
/** As it is on the wire (ISO strings). */
export type PolicyFeedWire = z.input<typeof PolicyFeedResponse>;
