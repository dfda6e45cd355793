import { z } from 'zod';
import type { Principal } from '@herald/http';
import type { WebhookResponse } from '../../webhook.dto';
import type { ExpectedVersion } from '../../webhook-mutation';

/** The request body of a rotation (REST and gRPC validate against it; OpenAPI documents it). */
export const rotateSecretSchema = z.strictObject({
  overlapSeconds: z
    .number({ error: 'overlapSeconds must be a number of seconds' })
    .int()
    .min(0, 'overlapSeconds must be 0-604800 (7 days)')
    .max(604_800, 'overlapSeconds must be 0-604800 (7 days)')
    .optional(),
});

export interface RotateWebhookSecretCommand {
  principal: Principal;
  webhookId: string;
  expected?: ExpectedVersion;
  /** How long the old secret keeps signing; the deployment default when absent. */
  overlapSeconds?: number;
}

/** The webhook with its new secret. */
export type RotateWebhookSecretResult = WebhookResponse;
