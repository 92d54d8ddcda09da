import { createRequire, syncBuiltinESMExports } from "node:module";
import { context, trace, type Context, type TextMapGetter, type TextMapPropagator, type TextMapSetter } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { registerInstrumentations } from "@opentelemetry/instrumentation";
import { HttpInstrumentation } from "@opentelemetry/instrumentation-http";
import { UndiciInstrumentation } from "@opentelemetry/instrumentation-undici";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, ConsoleSpanExporter, NodeTracerProvider, type SpanExporter } from "@opentelemetry/sdk-trace-node";
import { startMetrics } from "./metrics.js";

/**
 * OpenTelemetry traces, W3C trace context, from the gateway through the hub and the forces.
 *
 *   OTEL_TRACES_EXPORTER=none (default) | otlp | console
 *   OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4318   (OTLP/HTTP, JSON; `/v1/traces` is appended)
 *   OTEL_BSP_SCHEDULE_DELAY=<ms>                         (how long spans are batched before export)
 *
 * Spans: every incoming HTTP request (server), every call made with Node's fetch (undici: the
 * gateway's subgraph calls, the hub's calls to forces, a force's outbox relay and policy feed when
 * made inside a request), and Apollo Gateway's own (plan, fetch, …). The `traceparent` header is
 * added by the undici instrumentation after the gateway has signed a subgraph call, and is not
 * among the signed headers: it carries no authority (who asks comes from the token, what is read
 * from the signed body), so an altered one can only misfile a trace. The gateway, the edge, never
 * continues a client's trace; the subgraphs continue the caller's. URLs are recorded without the
 * values of a GET request's `query`, `variables` and `extensions`.
 *
 * Call it first thing in a service's main(): it also names the service on every metric.
 */
export function startTracing(service: string, options: { edge?: boolean } = {}): { shutdown(): Promise<void> } {
  startMetrics(service);
  const exporter = chosenExporter(process.env);
  if (!exporter) return { shutdown: async () => {} };

  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ "service.name": service }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  const w3c = new W3CTraceContextPropagator();
  provider.register({ propagator: options.edge ? new InjectOnly(w3c) : w3c });

  const probe = (path: string | undefined) => /^\/(health|ready|metrics)(\?|$)/.test(path ?? "");
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        // Probes and scrapes are not traced; behind the edge, neither is a call that is part of no trace (a force's
        // policy refresh or outbox poll at the hub), so only the requests of a traced operation make spans.
        ignoreIncomingRequestHook: (req) => probe(req.url) || (!options.edge && req.headers.traceparent === undefined),
        requireParentforOutgoingSpans: true,
        redactedQueryParamsServer: ["query", "variables", "extensions", "operationName"],
      }),
      new UndiciInstrumentation({ requireParentforSpans: true }),
    ],
  });
  // The instrumentation patches node:http when it is required; this process loads it as an ES module
  // (or from a bundle), so require it once here and let the ES bindings see the patched exports.
  createRequire(import.meta.url)("node:http");
  syncBuiltinESMExports();

  let stopped: Promise<void> | undefined;
  return {
    shutdown: () => (stopped ??= provider.shutdown().catch(() => undefined)),
  };
}

function chosenExporter(env: NodeJS.ProcessEnv): SpanExporter | undefined {
  const chosen = (env.OTEL_TRACES_EXPORTER ?? "none").trim().toLowerCase();
  if (chosen === "none" || chosen === "") return undefined;
  if (chosen === "console") return new ConsoleSpanExporter();
  if (chosen === "otlp") return new OTLPTraceExporter();
  throw new Error(`OTEL_TRACES_EXPORTER must be otlp, console or none, got ${JSON.stringify(chosen)}`);
}

/** Propagates the trace outward and never takes one from the caller: a client does not choose the gateway's trace. */
class InjectOnly implements TextMapPropagator {
  constructor(private readonly inner: TextMapPropagator) {}
  inject(ctx: Context, carrier: unknown, setter: TextMapSetter): void {
    this.inner.inject(ctx, carrier, setter);
  }
  extract(ctx: Context, _carrier: unknown, _getter: TextMapGetter): Context {
    return ctx;
  }
  fields(): string[] {
    return this.inner.fields();
  }
}

/** The trace id of the span active here, for a log line; undefined when tracing is off. */
export function activeTraceId(): string | undefined {
  const span = trace.getSpan(context.active());
  const ctx = span?.spanContext();
  return ctx && trace.isSpanContextValid(ctx) ? ctx.traceId : undefined;
}
