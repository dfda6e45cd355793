export const INGEST_OPTIONS = Symbol('INGEST_OPTIONS');

export interface IngestOptions {
  sourceTopics: string[];
  maxEventBytes: number;
  /** Deepest nesting accepted (objects and arrays); the event itself is level 1. */
  maxDepth?: number;
  /** Most object keys and array elements accepted over the whole event. */
  maxKeys?: number;
  /** How long a (tenant, idempotencyKey) is remembered. */
  idempotencyWindowSeconds?: number;
  /** Most idempotency keys kept in memory; the oldest are forgotten first. */
  idempotencyMaxKeys?: number;
}

export const DEFAULT_INGEST_MAX_DEPTH = 32;
export const DEFAULT_INGEST_MAX_KEYS = 10_000;
export const DEFAULT_INGEST_IDEMPOTENCY_MAX_KEYS = 1_000_000;
