import { z } from 'zod';
import { apiRateLimitEnv, commonEnv, env, kafkaEnv } from '@herald/config';
import { DEFAULT_IDEMPOTENCY_WINDOW_SECONDS } from '@herald/contracts';
import { DEFAULT_INGEST_IDEMPOTENCY_MAX_KEYS, DEFAULT_INGEST_MAX_DEPTH, DEFAULT_INGEST_MAX_KEYS } from '@herald/ingest';

export const configSchema = z.object({
  ...commonEnv,
  ...kafkaEnv,
  ...apiRateLimitEnv,
  PORT: env.port(3001),
  HERALD_ADMIN_API_KEY: z
    .string({ error: 'is required (the bootstrap admin API key)' })
    .min(16, 'must be at least 16 characters'),
  HERALD_DEFAULT_TENANT: env.str('default'),
  /** Source topics platform services publish to; empty means `<prefix>webhooks.ingest`. */
  INGEST_SOURCE_TOPICS: env.list([]),
  INGEST_MAX_EVENT_BYTES: env.int(262144, 1024, 10 * 1024 * 1024),
  INGEST_MAX_DEPTH: env.int(DEFAULT_INGEST_MAX_DEPTH, 2, 1000),
  INGEST_MAX_KEYS: env.int(DEFAULT_INGEST_MAX_KEYS, 10, 1_000_000),
  /** How long a repeat of (tenantId, idempotencyKey) is recognised; also the key topic's retention. */
  INGEST_IDEMPOTENCY_WINDOW_SECONDS: env.int(DEFAULT_IDEMPOTENCY_WINDOW_SECONDS, 1, 30 * 86_400),
  INGEST_IDEMPOTENCY_MAX_KEYS: env.int(DEFAULT_INGEST_IDEMPOTENCY_MAX_KEYS, 1, 100_000_000),
});
export type EventIngestConfig = z.infer<typeof configSchema>;
