import type { z } from 'zod';
import type { ApiPart } from '@herald/openapi';
import { listAttemptsQuerySchema } from '../attempts/attempt-queries';
import { listEventsQuerySchema } from '../events/event-queries';
import { attemptListSchema, attemptResponseSchema, eventDetailSchema, eventListSchema } from './api-responses';

/** The audit-log's read routes for events and attempts in the OpenAPI document. */
export const eventLogApiPart: ApiPart = {
  tags: ['Events', 'Attempts'],
  operations: [
    {
      method: 'get',
      path: '/v1/messages',
      operationId: 'listEvents',
      tag: 'Events',
      scope: 'read',
      summary: 'List events as ingested, newest first, with their delivery status',
      query: listEventsQuerySchema,
      success: { status: 200, description: 'A page of events', schema: eventListSchema },
    },
    {
      method: 'get',
      path: '/v1/messages/{eventId}',
      operationId: 'getEvent',
      tag: 'Events',
      scope: 'read',
      summary: 'One event with its deliveries per webhook, each with every attempt',
      success: { status: 200, description: 'The event', schema: eventDetailSchema },
      refusals: [404],
    },
    {
      method: 'get',
      path: '/v1/attempts',
      operationId: 'listAttempts',
      tag: 'Attempts',
      scope: 'read',
      summary: 'List attempts, newest first: filter by webhook, event, delivery, outcome and time',
      query: listAttemptsQuerySchema,
      success: { status: 200, description: 'A page of attempts', schema: attemptListSchema },
    },
    {
      method: 'get',
      path: '/v1/attempts/{attemptId}',
      operationId: 'getAttempt',
      tag: 'Attempts',
      scope: 'read',
      summary: 'One attempt in full: request (secrets redacted) and response',
      success: { status: 200, description: 'The attempt', schema: attemptResponseSchema },
      refusals: [404],
    },
  ],
  schemas: new Map<z.ZodType, string>([
    [attemptResponseSchema, 'Attempt'],
    [eventListSchema, 'EventList'],
    [eventDetailSchema, 'Event'],
    [attemptListSchema, 'AttemptList'],
  ]),
};
