import { z } from 'zod';
import type { Principal } from '@herald/http';
import { idField } from '../common/query-fields';
import type { toRecoveryResponse } from './recovery.entity';

const dateTime = (name: string) => z.iso.datetime({ offset: true, error: `${name} must be an ISO 8601 date-time` });

/** The request body of a recovery (REST validates against it). */
export const recoverWebhookSchema = z.strictObject({
  webhookId: idField('webhookId'),
  since: dateTime('since'),
  until: dateTime('until').optional(),
  ratePerSecond: z
    .number()
    .int('ratePerSecond must be a whole number')
    .min(1, 'ratePerSecond must be at least 1')
    .optional(),
});

export interface RecoverWebhookCommand {
  principal: Principal;
  webhookId: string;
  since: Date;
  until?: Date;
  ratePerSecond?: number;
}

/** The job as started (status `running`); it carries on in the background. */
export type RecoverWebhookResult = ReturnType<typeof toRecoveryResponse>;
