import { z } from 'zod';
import { profilesEnv } from '@herald/profiles';
import { subscriptionApiEnv } from '@herald/webhooks';

export const configSchema = z.object({ ...subscriptionApiEnv, ...profilesEnv });
export type SubscriptionApiConfig = z.infer<typeof configSchema>;
