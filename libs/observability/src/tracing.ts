import {
  context,
  propagation,
  trace,
  INVALID_SPAN_CONTEXT,
  ProxyTracerProvider,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  type Attributes,
  type Context,
  type Span,
  type TextMapGetter,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

/** Header maps as Kafka and HTTP carry them (kafkajs gives Buffers). */
export type CarrierHeaders = Record<string, string | Buffer | (string | Buffer)[] | undefined>;

const getter: TextMapGetter<CarrierHeaders> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const value = carrier[key];
    if (value === undefined) return undefined;
    const first = Array.isArray(value) ? value[0] : value;
    return first === undefined ? undefined : first.toString();
  },
};

/** Whether the standard OTEL_* variables ask for spans to be exported. */
export function tracingExportRequested(env: NodeJS.ProcessEnv): boolean {
  if (env.OTEL_SDK_DISABLED === 'true') return false;
  const exporters = env.OTEL_TRACES_EXPORTER?.split(',').map((s) => s.trim()) ?? [];
  if (exporters.includes('none')) return false;
  return exporters.length > 0 || Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

// Without an exporter only W3C propagation is set up (the SDK is slow to load): Kafka hops pass
// `traceparent` explicitly, and async context (whose hooks cost every promise) is enabled only
// when an API request needs it. Metrics and logs stay on Prometheus and stdout.
let started: { shutdown(): Promise<void> } | null = null;
let asyncContext = false;

export async function startTracing(service: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (started) return;
  if (!tracingExportRequested(env)) {
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    started = { shutdown: async () => undefined };
    return;
  }
  asyncContext = true;
  const { NodeSDK } = await import('@opentelemetry/sdk-node');
  const sdk = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME ? undefined : service,
    instrumentations: [],
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  started = sdk;
}

/** Exports the spans still buffered and stops the SDK (last step of a graceful shutdown). */
export async function stopTracing(): Promise<void> {
  const sdk = started;
  started = null;
  await sdk?.shutdown().catch(() => undefined);
}

const tracer = () => trace.getTracer('herald');
const NOOP_PROVIDER = new ProxyTracerProvider().getDelegate();
const NOOP_SPAN = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/** Whether a tracer provider (the SDK) is registered; without one spans are skipped outright. */
export function spansEnabled(): boolean {
  const provider = trace.getTracerProvider();
  return (provider instanceof ProxyTracerProvider ? provider.getDelegate() : provider) !== NOOP_PROVIDER;
}

/** Enables the async context once, for processes that need it (an API request's trace). */
function ensureAsyncContext(): void {
  if (asyncContext) return;
  asyncContext = true;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
}

/** The trace context carried by message or request headers (W3C `traceparent`). */
export function contextFromHeaders(headers: CarrierHeaders): Context {
  return propagation.extract(ROOT_CONTEXT, headers, getter);
}

/** Writes the active trace context (`traceparent`, `tracestate`) into `headers`. */
export function injectTraceHeaders<T extends Record<string, unknown>>(headers: T, ctx?: Context): T {
  // Without spans or an async context there is no active trace to add: the headers carry it.
  if (ctx === undefined && !asyncContext && !spansEnabled()) return headers;
  propagation.inject(ctx ?? context.active(), headers);
  return headers;
}

/**
 * Runs `work` inside a new span (child of `parent`, or of the active context), ending it when
 * the work settles and recording a failure as an error.
 */
export async function inSpan<T>(
  name: string,
  options: { kind?: SpanKind; attributes?: Attributes; parent?: Context },
  work: (span: Span) => Promise<T>,
): Promise<T> {
  if (!spansEnabled()) return work(NOOP_SPAN);
  const parent = options.parent ?? context.active();
  const span = tracer().startSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes },
    parent,
  );
  try {
    return await context.with(trace.setSpan(parent, span), () => work(span));
  } catch (error) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
    throw error;
  } finally {
    span.end();
  }
}

/** Ids of the active span, for log lines; empty outside a trace. */
export function activeTraceIds(): { traceId: string; spanId: string } | Record<string, never> {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (!spanContext || !trace.isSpanContextValid(spanContext)) return {};
  return { traceId: spanContext.traceId, spanId: spanContext.spanId };
}

interface TracedRequest {
  method: string;
  path: string;
  headers: CarrierHeaders;
}
interface TracedResponse {
  statusCode: number;
  once(event: 'finish' | 'close', listener: () => void): unknown;
}

/** One server span per API request, named by method and route so ids stay out of span names. */
export function traceHttpRequests(req: TracedRequest, res: TracedResponse, next: () => void): void {
  if (!req.path.startsWith('/v1/')) return next();
  ensureAsyncContext();
  const parent = contextFromHeaders(req.headers);
  const route = req.path.split('/').slice(0, 3).join('/');
  const span = tracer().startSpan(
    `${req.method} ${route}`,
    { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method, 'http.route': route } },
    parent,
  );
  res.once('close', () => {
    span.setAttribute('http.response.status_code', res.statusCode);
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
  context.with(trace.setSpan(parent, span), next);
}

export { SpanKind };
