import type { DataSource, Repository } from 'typeorm';
import type { Principal } from '@herald/http';
import { controllerRoutes, documentedRoutes } from '@herald/openapi';
import { AttemptQueries } from '../attempts/attempt-queries';
import { DeliveryAttempt } from '../attempts/delivery-attempt.entity';
import { EventEntity } from '../events/event.entity';
import { EventQueries } from '../events/event-queries';
import { EventsController } from '../events/events.controller';
import type { DeliveryReplay } from '../replay/delivery-replay.entity';
import { auditRowFrom, toAuditResponse } from '../audit-trail/audit-entry.entity';
import { AuditTrailController } from '../audit-trail/audit-trail.controller';
import { EventLogModule } from '../event-log.module';
import type { EventLogOptions } from '../event-log.options';
import { RecoveriesController } from '../replay/recoveries.controller';
import { Recovery, toRecoveryResponse } from '../replay/recovery.entity';
import type { RedeliverEventResult } from '../replay/redeliver-event.command';
import { eventLogApiPart } from './api-operations';
import {
  attemptResponseSchema,
  auditEntrySchema,
  eventDetailSchema,
  recoveryResponseSchema,
  redeliveryResultSchema,
} from './api-responses';

const started = new Date('2026-12-03T06:00:01.000Z');
const attempt = Object.assign(new DeliveryAttempt(), {
  attemptId: 'att_1',
  startedAt: started,
  deliveryId: 'dlv_1',
  eventId: 'evt_1',
  eventType: 'order.created',
  webhookId: 'wh_1',
  tenantId: 'acme',
  attempt: 2,
  request: { url: 'https://example.com/in', method: 'POST', headers: { 'webhook-id': 'dlv_1' } },
  response: { status: 500, headers: {}, body: 'down', bodyTruncated: false },
  outcome: 'http_error',
  error: 'HTTP 500',
  durationMs: 12.5,
  nextAttemptAt: new Date(started.getTime() + 60_000),
  deadLettered: false,
} satisfies DeliveryAttempt);
const event = Object.assign(new EventEntity(), {
  tenantId: 'acme',
  eventId: 'evt_1',
  receivedAt: new Date('2026-12-03T06:00:00.000Z'),
  eventType: 'order.created',
  occurredAt: new Date('2026-12-03T05:59:59.000Z'),
  source: 'http',
  schemaVersion: 1,
  data: { orderId: 'o-1' },
  idempotencyKey: null,
} satisfies EventEntity);

/** The audit-log's read use cases over in-memory repositories holding one event and its attempt. */
function queries() {
  const attempts = {
    find: async () => [attempt],
    findOne: async () => attempt,
  } as unknown as Repository<DeliveryAttempt>;
  const replays = { find: async () => [] } as unknown as Repository<DeliveryReplay>;
  const events = { find: async () => [event], findOne: async () => event } as unknown as Repository<EventEntity>;
  const attemptQueries = new AttemptQueries(attempts, replays, events);
  return { attempts: attemptQueries, events: new EventQueries({} as DataSource, events, attemptQueries) };
}

const principal = { tenantId: 'acme' } as Principal;

describe("the audit-log's share of the OpenAPI document", () => {
  it('describes exactly the routes the controllers serve', () => {
    // Every controller EventLogModule registers: a served route missing from the document fails here.
    const { controllers = [] } = EventLogModule.forRoot({} as EventLogOptions);
    expect(controllers).toEqual(expect.arrayContaining([EventsController, RecoveriesController, AuditTrailController]));
    const served = controllerRoutes(controllers);
    expect(documentedRoutes(eventLogApiPart.operations)).toEqual(served);
  });

  it('describes a recovery, a redelivery and an audit entry as the code builds them', () => {
    const recovery = Object.assign(new Recovery(), {
      recoveryId: 'rcv_1',
      tenantId: 'acme',
      webhookId: 'wh_1',
      since: started,
      until: null,
      ratePerSecond: 5,
      status: 'running',
      cursor: null,
      scheduled: 0,
      error: null,
      requestedBy: 'key_1',
      createdAt: started,
      finishedAt: null,
    } satisfies Recovery);
    const job = toRecoveryResponse(recovery);
    expect(recoveryResponseSchema.parse(job)).toEqual(job);
    const redelivery: RedeliverEventResult = {
      eventId: 'evt_1',
      deliveries: [{ deliveryId: 'dlv_2', webhookId: 'wh_1', replayOf: 'dlv_1', trigger: 'redelivery' }],
    };
    expect(redeliveryResultSchema.parse(redelivery)).toEqual(redelivery);
    const entry = toAuditResponse(
      auditRowFrom({
        auditId: 'aud_1',
        tenantId: 'acme',
        occurredAt: started.toISOString(),
        actor: { keyId: 'key_1', userId: null, userName: null },
        action: 'webhook.created',
        resourceType: 'webhook',
        resourceId: 'wh_1',
        before: null,
        after: { url: 'https://example.com/in' },
        requestId: null,
      }),
    );
    expect(auditEntrySchema.parse(entry)).toEqual(entry);
    expect(() => recoveryResponseSchema.parse({ ...job, status: 'paused' })).toThrow();
  });

  it('describes an attempt and an event with its deliveries as the queries build them', async () => {
    const { attempts, events } = queries();
    const one = await attempts.get(principal, 'att_1');
    // Parsing strips unknown keys, so equality means every field is documented, and each parse checks the types.
    expect(attemptResponseSchema.parse(one)).toEqual(one);
    expect(one.request.body).toContain('"orderId":"o-1"');
    const detail = await events.get(principal, 'evt_1');
    expect(eventDetailSchema.parse(detail)).toEqual(detail);
    expect(detail.deliveries).toEqual([expect.objectContaining({ webhookId: 'wh_1', status: 'retrying' })]);
  });
});
