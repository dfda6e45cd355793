/**
 * @herald/observability — structured JSON logs (pino) carrying the trace id, Prometheus metrics
 * (prom-client), OpenTelemetry tracing (OTEL_* configured), liveness/readiness endpoints
 * (terminus). Every app imports ObservabilityModule once.
 */
export * from './logger';
export * from './log-redaction';
export * from './tracing';
export * from './metrics.service';
export * from './readiness-registry';
export * from './observability.module';
