import type { DataSource } from "typeorm";
import type { AuditLog } from "@interforce/audit";
import { AuthError, claimedServiceCaller, HUB_SERVICE, verifyServiceRequest, type NonceGuard, type SelectorKeyRing } from "@interforce/auth";
import { OUTBOX_RELAY_PATH, POLICY_FEED_PATH, PolicyFeedResponse, WireOutboxBatch } from "@interforce/contracts";
import { findOrg } from "@interforce/domain";
import type { Logger, RefusalAuditCap, RequestInfo, Route } from "@interforce/server-kit";
import { applyIndexEvents, IndexRejection } from "./modules/index-events.js";
import { loadPolicyInputs } from "./modules/policy-inputs.js";
// Registers the selector index's event appliers (see index-events.ts).

/**
 * Service-to-service endpoints for the force subgraphs, outside the supergraph: each call
 * is HMAC-signed by the calling force with its own secret, for the hub, this route and
 * method, and names that force, so a force can neither read them anonymously nor publish
 * pointers in another force's name, and a captured call cannot be replayed or re-aimed.
 */
export interface InternalRouteState {
  /** The nonces of each route's accepted calls, shared by the hub's replicas (one guard per route). */
  replay: (route: string) => NonceGuard;
  /** Which refusals are audited one by one (a shared budget); a flood is logged and counted. */
  refusals: RefusalAuditCap;
}

export function internalRoutes(
  db: DataSource,
  serviceSecrets: Record<string, string>,
  log: Logger,
  audit: AuditLog,
  keys: SelectorKeyRing,
  state: InternalRouteState,
): Route[] {
  const auditRefusal = async (req: RequestInfo, reason: string) => {
    const taken = await state.refusals.take();
    if (!taken.audit) return;
    const suppressed = taken.suppressed;
    const claimed = claimedServiceCaller(req.headers);
    try {
      await audit.record({
        action: "CONSULTATION",
        operation: "refused internal call",
        principal: { sub: `service:${claimed ?? "unknown"}`, org: claimed && findOrg(claimed) ? claimed : "UNKNOWN", roles: [] },
        purpose: null,
        requestId: req.requestId,
        records: [],
        detail: { denied: reason, path: req.url.slice(0, 200), method: req.method, remoteAddress: req.remoteAddress ?? null, suppressed },
      });
    } catch (err) {
      log.error({ err, requestId: req.requestId }, "could not audit a refused internal call");
    }
  };
  /** Only a registered force may call, and only with its own secret, so it can sign only as itself. */
  const secretOf = (claimed: string): string => {
    const secret = Object.hasOwn(serviceSecrets, claimed) ? serviceSecrets[claimed] : undefined;
    if (claimed === HUB_SERVICE || !findOrg(claimed) || !secret) throw new AuthError("unknown caller");
    return secret;
  };
  const guarded = (path: string, fn: (req: RequestInfo, org: string) => Promise<{ status: number; json: unknown }>) => {
    // Nonces of the calls this route accepted, in every replica: each signed call is served once.
    const replay = state.replay(path);
    return async (req: RequestInfo) => {
      let org: string;
      try {
        org = await verifyServiceRequest({
          secret: secretOf,
          target: HUB_SERVICE,
          method: req.method,
          path: req.url,
          headers: req.headers,
          body: req.rawBody,
          replay,
        });
      } catch (e) {
        const reason = e instanceof AuthError ? e.reason : "service signature check failed";
        if (!(e instanceof AuthError)) log.error({ err: e, requestId: req.requestId }, "service signature check failed");
        log.warn({ requestId: req.requestId, reason, remoteAddress: req.remoteAddress }, "internal call refused");
        await auditRefusal(req, reason);
        return { status: 403, json: { error: "FORBIDDEN" } };
      }
      return fn(req, org);
    };
  };
  return [
    {
      // What a force needs to decide on its own records: all agreements, and the grants
      // its owners made (never another force's).
      method: "GET",
      path: POLICY_FEED_PATH,
      // Each force polls it every AGREEMENTS_REFRESH_MS: a refusal or failure is still logged at info.
      polled: true,
      handle: guarded(POLICY_FEED_PATH, async (_req, org) => ({
        status: 200,
        // Encoded through the contract: Dates become the ISO strings the force parses back.
        json: PolicyFeedResponse.encode(await loadPolicyInputs(db, org)),
      })),
    },
    {
      method: "POST",
      path: OUTBOX_RELAY_PATH,
      handle: guarded(OUTBOX_RELAY_PATH, async (req, org) => {
        let batch: { events: unknown[] };
        try {
          batch = WireOutboxBatch.parse(JSON.parse(req.rawBody));
        } catch {
          log.warn({ org, requestId: req.requestId }, "index batch rejected: not a batch of at most 500 events; nothing applied");
          return { status: 400, json: { error: "BAD_REQUEST" } };
        }
        try {
          const result = await applyIndexEvents(db, org, batch.events, keys);
          log.info({ org, ...result }, "selector index updated");
          return { status: 200, json: result };
        } catch (e) {
          if (e instanceof IndexRejection) {
            log.warn({ org, requestId: req.requestId, events: batch.events.length, reason: e.message }, "index batch rejected; nothing applied");
            return { status: 400, json: { error: "BAD_REQUEST", message: e.message } };
          }
          throw e;
        }
      }),
    },
  ];
}
