import { z } from 'zod';
import { subscriptionApiEnv } from '@herald/webhooks';

export const configSchema = z.object({ ...subscriptionApiEnv });
export type SubscriptionApiConfig = z.infer<typeof configSchema>;
