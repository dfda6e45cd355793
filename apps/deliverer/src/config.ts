import { z } from 'zod';
import { commonEnv, env, kafkaEnv } from '@herald/config';

export const configSchema = z.object({
  ...commonEnv,
  ...kafkaEnv,
  PORT: env.port(3003),
  DELIVERY_TIMEOUT_MS: env.int(5000, 100, 60000),
  DELIVERY_MAX_RESPONSE_BYTES: env.int(65536, 0, 10 * 1024 * 1024),
  DELIVERY_CONCURRENCY: env.int(64, 1, 10000),
});
export type DelivererConfig = z.infer<typeof configSchema>;
