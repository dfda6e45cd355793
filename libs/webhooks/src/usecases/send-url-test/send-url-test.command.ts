import { z } from 'zod';
import type { Principal } from '@herald/http';
import { webhookUrlSchema } from '../../webhook.dto';
import { sendTestEventSchema, type SendTestEventResult } from '../send-test-event/send-test-event.command';

/** A URL not saved yet (e.g. typed into a settings form), with the X-KEY it would be sent. */
export const sendUrlTestSchema = sendTestEventSchema.extend({
  url: webhookUrlSchema,
  staticKey: z
    .string({ error: 'staticKey must be a string' })
    .regex(/^[\x21-\x7e]{16,256}$/, 'staticKey must be 16-256 printable characters without spaces')
    .optional(),
});
export type SendUrlTestInput = z.infer<typeof sendUrlTestSchema>;

export interface SendUrlTestCommand {
  principal: Principal;
  input: SendUrlTestInput;
}

/** The attempt's outcome, and the one-off secret it was signed with (so the receiver's check can be tried). */
export type SendUrlTestResult = Omit<SendTestEventResult, 'webhookId'> & { secret: string };
