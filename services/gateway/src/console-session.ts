import { z } from "zod";
import { AuthError, DEFAULT_TOKEN_TTL_SEC, DEMO_PRINCIPALS, findDemoPrincipal, parseBearer, signAccessToken, type AccessTokenVerifier } from "@interforce/auth";
import type { Principal } from "@interforce/domain";
import { noteCaller, type Refusal, type RequestInfo, type Route } from "@interforce/server-kit";

export const SESSION_PATHS = {
  mode: "/console/session/mode",
  whoami: "/console/session/whoami",
  principals: "/console/session/principals",
  token: "/console/session/token",
} as const;

export interface ConsoleSessionOptions {
  production: boolean;
  /** The gateway's own token verifier: whoami says what the gateway would accept. */
  verify: AccessTokenVerifier;
  /**
   * Whether the gateway trusts the stack's development keys (no JWKS_URL, the home's JWKS, the
   * development issuer): only then can a token minted here be used. Ignored in production.
   */
  devKeys: boolean;
  /** The gateway's rate limits: per principal once a token is verified, else per address. */
  limit: (req: RequestInfo, principal?: Principal) => Promise<Refusal | undefined>;
  /** The Interforce home whose development key signs (default: INTERFORCE_HOME). */
  home?: string;
}

type Answer = Awaited<ReturnType<Route["handle"]>>;

const errorAnswer = (status: number, code: string, message: string, headers?: Record<string, string>): Answer => ({
  status,
  json: { errors: [{ message, extensions: { code } }] },
  headers,
});

const refused = (r: Refusal): Answer => errorAnswer(r.status, r.code, r.message, r.headers);

/** The `exp` of a token already verified, as an ISO time. */
function expiryOf(token: string): string {
  const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as { exp?: unknown };
  return typeof payload.exp === "number" ? new Date(payload.exp * 1000).toISOString() : new Date(0).toISOString();
}

const TokenRequest = z.object({ id: z.string().min(1).max(100) });

/**
 * The console's sign-in endpoints. In every mode `mode` (so the sign-in page knows whether to
 * offer the picker) and `whoami` (the verified principal of a pasted or minted token). Outside
 * production, and only when the gateway trusts the development keys, `principals` lists the
 * demo principals and `token` mints one of them a token with the stack's development key (the
 * token CLI's default lifetime). In production those two do not exist, whatever else is set:
 * there the identity provider is the only issuer.
 */
export function consoleSessionRoutes(opts: ConsoleSessionOptions): Route[] {
  const routes: Route[] = [
    {
      method: "GET",
      path: SESSION_PATHS.mode,
      async handle(req) {
        const limited = await opts.limit(req);
        if (limited) return refused(limited);
        return { status: 200, json: { mode: opts.production ? "production" : "development" } };
      },
    },
    {
      method: "GET",
      path: SESSION_PATHS.whoami,
      async handle(req) {
        const token = parseBearer(req.headers.authorization);
        let principal: Principal | undefined;
        let reason = "authentication required";
        if (token) {
          try {
            principal = await opts.verify(token);
          } catch (e) {
            reason = e instanceof AuthError ? e.reason : "invalid token";
          }
        }
        const limited = await opts.limit(req, principal);
        if (limited) return refused(limited);
        if (!principal || !token) return errorAnswer(401, "UNAUTHENTICATED", reason);
        noteCaller(principal);
        const { sub, org, roles, clearance, covert } = principal;
        return { status: 200, json: { principal: { sub, org, roles, clearance, covert }, expiresAt: expiryOf(token) } };
      },
    },
  ];
  if (opts.production || !opts.devKeys) return routes;
  routes.push(
    {
      method: "GET",
      path: SESSION_PATHS.principals,
      async handle(req) {
        const limited = await opts.limit(req);
        if (limited) return refused(limited);
        return { status: 200, json: { principals: DEMO_PRINCIPALS } };
      },
    },
    {
      method: "POST",
      path: SESSION_PATHS.token,
      async handle(req) {
        const limited = await opts.limit(req);
        if (limited) return refused(limited);
        let body: unknown;
        try {
          body = JSON.parse(req.rawBody || "null");
        } catch {
          return errorAnswer(400, "BAD_REQUEST", "Body is not valid JSON");
        }
        const parsed = TokenRequest.safeParse(body);
        if (!parsed.success) return errorAnswer(400, "BAD_USER_INPUT", 'Expected { "id": "<demo principal id>" }');
        const principal = findDemoPrincipal(parsed.data.id);
        if (!principal) return errorAnswer(400, "BAD_USER_INPUT", `No demo principal ${JSON.stringify(parsed.data.id)}`);
        const { sub, org, roles, clearance, covert } = principal;
        const token = signAccessToken({ sub, org, roles, clearance, covert }, { expiresInSeconds: DEFAULT_TOKEN_TTL_SEC, home: opts.home });
        return { status: 200, json: { token, expiresAt: expiryOf(token), principal } };
      },
    },
  );
  return routes;
}
