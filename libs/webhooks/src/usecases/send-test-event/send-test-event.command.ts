import { z } from 'zod';
import type { AttemptOutcome } from '@herald/contracts';
import type { Principal } from '@herald/http';

/** The request body of a test send (REST and gRPC validate against it; OpenAPI documents it). */
export const sendTestEventSchema = z.strictObject({
  eventType: z.string().max(128, 'eventType must be at most 128 characters').optional(),
  data: z.record(z.string(), z.unknown(), { error: 'data must be a JSON object' }).optional(),
});
export type SendTestEventInput = z.infer<typeof sendTestEventSchema>;

export interface SendTestEventCommand {
  principal: Principal;
  webhookId: string;
  input: SendTestEventInput;
}

/** What happened to the one attempt: the request as sent (secret headers redacted) and the response. */
export interface SendTestEventResult {
  webhookId: string;
  eventId: string;
  eventType: string;
  outcome: AttemptOutcome;
  error: string | null;
  durationMs: number;
  request: { url: string; headers: Record<string, string>; body: string };
  response: { status: number; body: string; bodyTruncated: boolean } | null;
}
