import type { z } from 'zod';
import type { ApiOperation, ApiPart } from '@herald/openapi';
import { listAttemptsQuerySchema } from '../attempts/attempt-queries';
import { listAuditQuerySchema } from '../audit-trail/audit-trail.controller';
import { listEventsQuerySchema } from '../events/event-queries';
import { recoverWebhookSchema } from '../replay/recover-webhook.command';
import { redeliverEventSchema } from '../replay/redeliver-event.command';
import { listRecoveriesQuerySchema } from '../replay/recovery-queries';
import {
  attemptListSchema,
  attemptResponseSchema,
  auditListSchema,
  eventDetailSchema,
  eventListSchema,
  recoveryListSchema,
  recoveryResponseSchema,
  redeliveryResultSchema,
} from './api-responses';

type Fields = Omit<ApiOperation, 'method' | 'scope' | 'success'>;
/** A read of the tenant's log: GET with the read scope, answering 200. */
const read = (fields: Fields, description: string, schema: z.ZodType): ApiOperation => ({
  method: 'get',
  scope: 'read',
  ...fields,
  success: { status: 200, description, schema },
});
/** A replay: POST with the admin scope, answering 202 (the resends go through Kafka). */
const replay = (fields: Fields, description: string, schema: z.ZodType): ApiOperation => ({
  method: 'post',
  scope: 'admin',
  ...fields,
  success: { status: 202, description, schema },
});

/** The audit-log's routes in the OpenAPI document: events, attempts, replays and the audit trail. */
export const eventLogApiPart: ApiPart = {
  tags: ['Events', 'Attempts', 'Recoveries', 'Audit log'],
  operations: [
    read(
      {
        path: '/v1/messages',
        operationId: 'listEvents',
        tag: 'Events',
        summary: 'List events as ingested, newest first, with their delivery status',
        query: listEventsQuerySchema,
      },
      'A page of events',
      eventListSchema,
    ),
    read(
      {
        path: '/v1/messages/{eventId}',
        operationId: 'getEvent',
        tag: 'Events',
        summary: 'One event with its deliveries per webhook, each with every attempt',
        refusals: [404],
      },
      'The event',
      eventDetailSchema,
    ),
    replay(
      {
        path: '/v1/messages/{eventId}/redeliver',
        operationId: 'redeliverEvent',
        tag: 'Events',
        summary: 'Send a stored event again to one webhook (`webhookId`) or to every webhook it went to',
        body: redeliverEventSchema,
        refusals: [404, 409],
        refusalText: { 409: 'The event was not delivered to any webhook, so there is nothing to redeliver' },
      },
      'The new deliveries, queued',
      redeliveryResultSchema,
    ),
    read(
      {
        path: '/v1/attempts',
        operationId: 'listAttempts',
        tag: 'Attempts',
        summary: 'List attempts, newest first: filter by webhook, event, delivery, outcome and time',
        query: listAttemptsQuerySchema,
      },
      'A page of attempts',
      attemptListSchema,
    ),
    read(
      {
        path: '/v1/attempts/{attemptId}',
        operationId: 'getAttempt',
        tag: 'Attempts',
        summary: 'One attempt in full: request (secrets redacted) and response',
        refusals: [404],
      },
      'The attempt',
      attemptResponseSchema,
    ),
    replay(
      {
        path: '/v1/recoveries',
        operationId: 'startRecovery',
        tag: 'Recoveries',
        summary: 'Resend every failed delivery of a webhook since a time, at a bounded rate, in the background',
        body: recoverWebhookSchema,
        refusals: [404],
      },
      'The job, running',
      recoveryResponseSchema,
    ),
    read(
      {
        path: '/v1/recoveries',
        operationId: 'listRecoveries',
        tag: 'Recoveries',
        summary: 'Recovery jobs, newest first (optionally of one webhook)',
        query: listRecoveriesQuerySchema,
      },
      'The jobs',
      recoveryListSchema,
    ),
    read(
      {
        path: '/v1/recoveries/{recoveryId}',
        operationId: 'getRecovery',
        tag: 'Recoveries',
        summary: 'One recovery job: status and how many deliveries it has resent',
        refusals: [404],
      },
      'The job',
      recoveryResponseSchema,
    ),
    read(
      {
        path: '/v1/audit-log',
        operationId: 'listAuditLog',
        tag: 'Audit log',
        summary: 'Admin changes of the tenant, newest first: who changed what, before and after',
        query: listAuditQuerySchema,
      },
      'A page of audit entries',
      auditListSchema,
    ),
  ],
  schemas: new Map<z.ZodType, string>([
    [attemptResponseSchema, 'Attempt'],
    [eventListSchema, 'EventList'],
    [eventDetailSchema, 'Event'],
    [attemptListSchema, 'AttemptList'],
    [redeliveryResultSchema, 'Redelivery'],
    [recoveryResponseSchema, 'Recovery'],
    [recoveryListSchema, 'RecoveryList'],
    [auditListSchema, 'AuditLog'],
  ]),
};
