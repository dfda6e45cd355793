import type { z } from 'zod';
import { attemptRecordSchema } from './attempt-record';
import { auditRecordSchema } from './audit-record';
import { disableWebhookRequestSchema, notificationSchema } from './delivery-health';
import { deliveryTaskSchema } from './delivery-task';
import { eventEnvelopeSchema } from './event-envelope';
import type { Topics } from './topics';

/** One topic, defined once: its name, the schema of its values, its key, and where records that cannot be read go. */
export interface TopicContract<S extends z.ZodType = z.ZodType> {
  topic: keyof typeof Topics;
  /** What one value is, for dead-letter reasons ("delivery task"). */
  describes: string;
  schema: S;
  key: (value: z.output<S>) => string;
  /** Dead-letter topic: a record that is not JSON or not a valid value goes there with the reason. */
  deadLetter: keyof typeof Topics;
}

const contract = <S extends z.ZodType>(c: TopicContract<S>): TopicContract<S> => c;

export const TopicContracts = {
  events: contract({
    topic: 'events',
    describes: 'event envelope',
    schema: eventEnvelopeSchema,
    key: (e) => e.tenantId,
    deadLetter: 'eventsDlq',
  }),
  deliveries: contract({
    topic: 'deliveries',
    describes: 'delivery task',
    schema: deliveryTaskSchema,
    key: (t) => t.webhookId,
    deadLetter: 'deliveriesDlq',
  }),
  attempts: contract({
    topic: 'attempts',
    describes: 'attempt record',
    schema: attemptRecordSchema,
    key: (a) => a.webhookId,
    deadLetter: 'eventLogDlq',
  }),
  audit: contract({
    topic: 'audit',
    describes: 'audit record',
    schema: auditRecordSchema,
    key: (a) => a.tenantId,
    deadLetter: 'eventLogDlq',
  }),
  notifications: contract({
    topic: 'notifications',
    describes: 'notification',
    schema: notificationSchema,
    key: (n) => n.webhookId,
    deadLetter: 'deliveryHealthDlq',
  }),
  disableRequests: contract({
    topic: 'disableRequests',
    describes: 'disable request',
    schema: disableWebhookRequestSchema,
    key: (r) => r.webhookId,
    deadLetter: 'deliveryHealthDlq',
  }),
};
