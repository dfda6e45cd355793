import { z } from 'zod';
import { commonEnv, databaseEnv, env, kafkaEnv } from '@herald/config';

export const configSchema = z.object({
  ...commonEnv,
  ...kafkaEnv,
  ...databaseEnv,
  PORT: env.port(3000),
  HERALD_ADMIN_API_KEY: z
    .string({ error: 'is required (the bootstrap admin API key)' })
    .min(16, 'must be at least 16 characters'),
  HERALD_DEFAULT_TENANT: env.str('default'),
});
export type SubscriptionApiConfig = z.infer<typeof configSchema>;
