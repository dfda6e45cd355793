import { z } from 'zod';
import { commonEnv, env, kafkaEnv } from '@herald/config';

export const configSchema = z.object({
  ...commonEnv,
  ...kafkaEnv,
  PORT: env.port(3002),
});
export type MatcherConfig = z.infer<typeof configSchema>;
