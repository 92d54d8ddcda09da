import { AuthError, parseBearer, ReplayGuard, verifyGatewayRequest, type NonceGuard } from "@interforce/auth";
import type { Logger } from "pino";
import { unauthenticated } from "./errors.js";
import type { Refusal, RequestInfo } from "./http.js";
import { RefusalAuditCap, type SharedBudget } from "./refusal-cap.js";

/** What is recorded of a call refused for not coming from the gateway. */
export interface RefusedCall {
  reason: string;
  /** The caller, when the call carried a token that verifies; null otherwise. */
  principal: { sub: string; org: string; roles: string[] } | null;
  purpose: string | null;
  requestId: string;
  detail: {
    remoteAddress: string | null;
    method: string;
    operationName: string | null;
    /** The start of the operation text, to see what was attempted (_entities, _service, …). */
    query: string | null;
    /** Refusals not audited one by one since the last audited one (see RefusalAuditCap). */
    suppressed: number;
  };
}

export interface GatewayGuardOptions {
  /** This subgraph's name in the supergraph; the signature is bound to it. */
  subgraph: string;
  /** This subgraph's gateway secret. */
  secret: string;
  log: Logger;
  /** Who sent a refused call, if its token verifies; used only to attribute the refusal. */
  identify: (req: RequestInfo) => Promise<RefusedCall["principal"]>;
  /** Writes the refusal to the subgraph's audit log. */
  audit: (call: RefusedCall) => Promise<void>;
  /**
   * The nonces of accepted gateway calls. Shared by every replica of the subgraph
   * (`SharedNonces`), so a call replayed to another replica is refused too; in memory only
   * where there is one process (unit tests).
   */
  replay?: NonceGuard;
  /**
   * Which refusals without a valid token are audited one by one (see RefusalAuditCap); a
   * refusal whose token verifies is always audited.
   */
  auditCap?: RefusalAuditCap;
}

const QUERY_EXCERPT = 500;

function operationOf(rawBody: string, url: string): { operationName: string | null; query: string | null } {
  let source: unknown;
  try {
    source = rawBody ? JSON.parse(rawBody) : Object.fromEntries(new URL(url, "http://x").searchParams);
  } catch {
    return { operationName: null, query: null };
  }
  const op = (Array.isArray(source) ? source[0] : source) as { operationName?: unknown; query?: unknown } | undefined;
  return {
    operationName: typeof op?.operationName === "string" ? op.operationName.slice(0, 200) : null,
    query: typeof op?.query === "string" ? op.query.slice(0, QUERY_EXCERPT) : null,
  };
}

/**
 * The `admit` hook of a subgraph's HTTP server: only calls signed by the gateway for this
 * subgraph reach Apollo. Anything else — `_service`, `_entities`, any root field, with or
 * without a valid user token — is refused with FORBIDDEN before it is parsed, and audited.
 */
export function gatewayOnly(opts: GatewayGuardOptions): (req: RequestInfo) => Promise<Refusal | undefined> {
  const replay = opts.replay ?? new ReplayGuard();
  const cap = opts.auditCap ?? new RefusalAuditCap(`refused-direct:${opts.subgraph}`);

  return async (req) => {
    try {
      await verifyGatewayRequest({
        secret: opts.secret,
        subgraph: opts.subgraph,
        request: { method: req.method, path: req.url, headers: req.headers, body: req.rawBody },
        replay,
      });
      return undefined;
    } catch (err) {
      const reason = err instanceof AuthError ? err.reason : "gateway signature check failed";
      if (!(err instanceof AuthError)) opts.log.error({ err, requestId: req.requestId }, "gateway signature check failed");
      const purposeHeader = req.headers["x-purpose"];
      const log = { requestId: req.requestId, reason, remoteAddress: req.remoteAddress };
      // A refused call made with a valid token names someone: it is always audited. The cap
      // applies to anonymous calls only, so a flood of junk cannot hide a named attempt.
      const principal = await opts.identify(req).catch(() => null);
      const taken = principal !== null ? { audit: true as const, suppressed: 0 } : await cap.take();
      if (taken.audit) {
        const call: RefusedCall = {
          reason,
          principal,
          purpose: typeof purposeHeader === "string" && purposeHeader.trim() ? purposeHeader.trim().slice(0, 500) : null,
          requestId: req.requestId,
          detail: { remoteAddress: req.remoteAddress ?? null, method: req.method, ...operationOf(req.rawBody, req.url), suppressed: taken.suppressed },
        };
        try {
          await opts.audit(call);
        } catch (auditErr) {
          // The call is refused either way; a failed audit write must still be seen.
          opts.log.error({ ...log, err: auditErr }, "could not audit a refused direct call");
        }
      }
      opts.log.warn(log, "direct call refused: not signed by the gateway");
      return { status: 403, code: "FORBIDDEN", message: "Forbidden: this service answers only the Interforce gateway" };
    }
  };
}

/** The longest purpose kept from the x-purpose header; the rest is cut, not refused. */
export const PURPOSE_MAX = 500;

export interface SubgraphCallerOptions<P extends { sub: string; org: string; roles: string[] }> {
  subgraph: string;
  gatewaySecret: string;
  log: Logger;
  /** Verifies a user's access token (signature, issuer, audience, lifetime, type). */
  verify: (token: string) => Promise<P>;
  /** Shared by the subgraph's replicas: see GatewayGuardOptions. */
  replay?: NonceGuard;
  auditCap?: RefusalAuditCap;
  /** Appends an event to this subgraph's audit log. */
  audit: {
    record(event: {
      action: "CONSULTATION";
      operation: string;
      principal: { sub: string; org: string; roles: string[] };
      purpose: string | null;
      requestId: string;
      records: never[];
      detail: Record<string, unknown>;
    }): Promise<unknown>;
  };
}

/**
 * Who may call a subgraph and as whom, the same for every subgraph: `admit` lets through
 * only calls the gateway signed (refusals audited), and `caller` authenticates each
 * admitted call again from the user's own token — never from identity headers — with the
 * stated purpose.
 */
export function subgraphCaller<P extends { sub: string; org: string; roles: string[] }>(opts: SubgraphCallerOptions<P>) {
  const bearer = (req: RequestInfo) => parseBearer(typeof req.headers.authorization === "string" ? req.headers.authorization : undefined);
  const admit = gatewayOnly({
    subgraph: opts.subgraph,
    secret: opts.gatewaySecret,
    log: opts.log,
    replay: opts.replay,
    auditCap: opts.auditCap,
    identify: async (req) => {
      const token = bearer(req);
      return token ? opts.verify(token).catch(() => null) : null;
    },
    audit: async (call) => {
      await opts.audit.record({
        action: "CONSULTATION",
        operation: "refused direct call",
        principal: call.principal ?? { sub: "unauthenticated", org: "UNKNOWN", roles: [] },
        purpose: call.purpose,
        requestId: call.requestId,
        records: [],
        detail: { denied: call.reason, ...call.detail },
      });
    },
  });
  const caller = async (req: RequestInfo): Promise<{ principal: P; purpose: string | null }> => {
    const token = bearer(req);
    if (!token) throw unauthenticated();
    let principal: P;
    try {
      principal = await opts.verify(token);
    } catch (e) {
      throw unauthenticated(e instanceof AuthError ? e.reason : "invalid token");
    }
    const header = req.headers["x-purpose"];
    const purpose = typeof header === "string" && header.trim() ? header.trim().slice(0, PURPOSE_MAX) : null;
    return { principal, purpose };
  };
  return { admit, caller };
}

/** What a subgraph's replicas share (`openSharedState` in @interforce/db): their nonces and budgets. */
export interface ReplicaState {
  nonces(scope: string): NonceGuard;
  budget(opts: { keyPrefix: string; points: number; duration: number }): SharedBudget;
}

/** Refused calls without a verified caller audited one by one, a minute, across a subgraph's replicas. */
const REFUSAL_AUDITS_PER_MINUTE = 120;

/**
 * `subgraphCaller` for a subgraph that runs as several replicas: the gateway's nonces and the
 * refusal-audit budget live in their shared state. The budget is returned too, for the
 * subgraph's internal routes to spend from.
 */
export function replicatedSubgraphCaller<P extends { sub: string; org: string; roles: string[] }>(
  state: ReplicaState,
  opts: Omit<SubgraphCallerOptions<P>, "replay" | "auditCap">,
) {
  const refusalBudget = state.budget({ keyPrefix: "refusal-audit", points: REFUSAL_AUDITS_PER_MINUTE, duration: 60 });
  const caller = subgraphCaller<P>({
    ...opts,
    replay: state.nonces(`gateway:${opts.subgraph}`),
    auditCap: new RefusalAuditCap("direct", refusalBudget, REFUSAL_AUDITS_PER_MINUTE),
  });
  return { ...caller, refusalBudget };
}
