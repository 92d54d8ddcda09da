import type { DataSource } from "typeorm";
import { AuthError, deriveServiceSecret, verifyServiceRequest } from "@interforce/auth";
import { findOrg } from "@interforce/domain";
import type { Logger, RequestInfo, Route } from "@interforce/server-kit";
import { loadAgreements } from "./modules/agreements.js";
import { activeGrants } from "./modules/access-requests.js";
import { applyIndexEvents, IndexRejection } from "./modules/index-events.js";
// Registers the event handlers.
import "./modules/selector-index.js";
import "./modules/monitoring-index.js";

/**
 * Service-to-service endpoints for the force subgraphs, outside the supergraph: each call
 * is HMAC-signed by the calling force and names that force, so a force can neither read
 * them anonymously nor publish pointers in another force's name.
 */
export function internalRoutes(db: DataSource, masterSecret: string, log: Logger): Route[] {
  const caller = (req: RequestInfo): string => {
    const org = verifyServiceRequest({
      secret: (claimed) => deriveServiceSecret(masterSecret, claimed),
      headers: req.headers,
      body: req.rawBody,
    });
    if (!findOrg(org)) throw new AuthError("unknown caller");
    return org;
  };
  const guarded =
    (fn: (req: RequestInfo, org: string) => Promise<{ status: number; json: unknown }>) =>
    async (req: RequestInfo) => {
      let org: string;
      try {
        org = caller(req);
      } catch (e) {
        log.warn({ requestId: req.requestId, reason: (e as Error).message }, "internal call refused");
        return { status: 403, json: { error: "FORBIDDEN" } };
      }
      return fn(req, org);
    };
  return [
    {
      // What a force needs to decide on its own records: all agreements, and the grants
      // its owners made (never another force's).
      method: "GET",
      path: "/internal/policy",
      handle: guarded(async (_req, org) => ({
        status: 200,
        json: { agreements: await loadAgreements(db), grants: await activeGrants(db, org) },
      })),
    },
    {
      method: "POST",
      path: "/internal/index",
      handle: guarded(async (req, org) => {
        let events: unknown;
        try {
          events = (JSON.parse(req.rawBody) as { events?: unknown }).events;
        } catch {
          return { status: 400, json: { error: "BAD_REQUEST" } };
        }
        if (!Array.isArray(events) || events.length > 500) return { status: 400, json: { error: "BAD_REQUEST" } };
        try {
          const result = await applyIndexEvents(db, org, events);
          log.info({ org, ...result }, "selector index updated");
          return { status: 200, json: result };
        } catch (e) {
          if (e instanceof IndexRejection) return { status: 400, json: { error: "BAD_REQUEST", message: e.message } };
          throw e;
        }
      }),
    },
  ];
}
