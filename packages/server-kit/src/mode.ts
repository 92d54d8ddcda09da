import type { ApolloServerOptions, ApolloServerPlugin, BaseContext } from "@apollo/server";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";

/**
 * Production unless told otherwise by neither switch: `INTERFORCE_MODE=production` or
 * `NODE_ENV=production` turns it on, and one saying production wins over the other.
 */
export function isProduction(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.INTERFORCE_MODE === "production" || env.NODE_ENV === "production";
}

type Hardening<TContext extends BaseContext> = Pick<
  ApolloServerOptions<TContext>,
  | "introspection"
  | "hideSchemaDetailsFromClientErrors"
  | "includeStacktraceInErrorResponses"
  | "csrfPrevention"
  | "allowBatchedHttpRequests"
  | "nodeEnv"
  | "stopOnTerminationSignals"
> & { plugins: ApolloServerPlugin<TContext>[] };

/**
 * Apollo Server options every Interforce server shares. In production the schema is not
 * given away: no introspection, no "Did you mean …" in errors (they name fields and enum
 * values). In every mode: no landing page (Apollo's loads Sandbox from a CDN; the gateway serves its own
 * bundled GraphiQL at /graphiql in development), no stack traces, CSRF prevention on, and no
 * HTTP batching (one operation per request, so per-request limits mean what they say), and no signal handler of
 * Apollo's own.
 */
export function apolloHardening<TContext extends BaseContext>(production: boolean): Hardening<TContext> {
  return {
    introspection: !production,
    hideSchemaDetailsFromClientErrors: production,
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    nodeEnv: production ? "production" : "development",
    // Each service stops itself on SIGTERM (in-flight requests first, then pools); Apollo's own handler would stop the
    // server under them and re-raise the signal, killing the process before it could finish or log.
    stopOnTerminationSignals: false,
    plugins: [ApolloServerPluginLandingPageDisabled()],
  };
}
