import { z } from 'zod';
import { apiRateLimitEnv, commonEnv, databaseEnv, env, kafkaEnv } from '@herald/config';

export const configSchema = z.object({
  ...commonEnv,
  ...kafkaEnv,
  ...databaseEnv,
  ...apiRateLimitEnv,
  PORT: env.port(3004),
  HERALD_ADMIN_API_KEY: z
    .string({ error: 'is required (the bootstrap admin API key)' })
    .min(16, 'must be at least 16 characters'),
  HERALD_DEFAULT_TENANT: env.str('default'),
  EVENT_LOG_RETENTION_DAYS: env.int(30, 1, 3650),
  EVENT_LOG_MAINTENANCE_INTERVAL_MS: env.int(3_600_000, 1000, 86_400_000),
  RECOVERY_MAX_RATE_PER_SECOND: env.int(50, 1, 10_000),
});
export type AuditLogConfig = z.infer<typeof configSchema>;
