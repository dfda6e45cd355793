/** @herald/observability — JSON logs with trace ids, Prometheus metrics, tracing, health endpoints. */
export * from './logger';
export * from './log-redaction';
export * from './tracing';
export * from './metrics.service';
export * from './readiness-registry';
export * from './observability.module';
