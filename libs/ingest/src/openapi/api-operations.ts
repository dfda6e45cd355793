import { z } from 'zod';
import { eventTypeSchema, ingestEventSchema } from '@herald/contracts';
import type { ApiPart } from '@herald/openapi';

/** What `POST /v1/events` answers; a unit test checks the controller's answers against it. */
export const acceptedEventSchema = z.strictObject({
  eventId: z.string(),
  eventType: eventTypeSchema,
  receivedAt: z.string().describe('ISO 8601; for a replay, when the first event was accepted'),
  duplicate: z.literal(true).optional().describe('Present on a replay of an idempotencyKey'),
});

/** event-ingest's route in the OpenAPI document. */
export const ingestApiPart: ApiPart = {
  tags: ['Publishing'],
  operations: [
    {
      method: 'post',
      path: '/v1/events',
      operationId: 'publishEvent',
      tag: 'Publishing',
      scope: 'publish',
      summary:
        'Publish one event; a repeat of its `idempotencyKey` (within the window) answers 200 with the first event, not a new one',
      body: ingestEventSchema,
      success: { status: 202, description: 'Accepted: on `webhooks.events`', schema: acceptedEventSchema },
      alternatives: [
        {
          status: 200,
          description: 'A replay of an idempotencyKey: the first event (header `Idempotent-Replayed: true`)',
          schema: acceptedEventSchema,
        },
      ],
      refusals: [409],
      refusalText: {
        400: 'Invalid event: the message names the field (or the event type schema) it breaks',
        409: 'The idempotencyKey was used with other content',
      },
    },
  ],
  schemas: new Map<z.ZodType, string>([[acceptedEventSchema, 'AcceptedEvent']]),
};
