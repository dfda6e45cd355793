/**
 * @herald/observability — structured JSON logs (pino), Prometheus metrics (prom-client),
 * liveness/readiness endpoints (terminus). Every app imports ObservabilityModule once.
 */
export * from './logger';
export * from './metrics.service';
export * from './readiness-registry';
export * from './observability.module';
