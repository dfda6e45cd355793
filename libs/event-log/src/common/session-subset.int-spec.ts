import pino from 'pino';
import { DataSource } from 'typeorm';
import type { AttemptRecord } from '@herald/contracts';
import type { Principal } from '@herald/http';
import { KafkaClient } from '@herald/kafka';
import { MetricsService } from '@herald/observability';
import { dataSourceOptions, migrateDatabase } from '@herald/persistence';
import { createTestDatabase, testBrokers, uniqueName } from '@herald/testing';
import { AttemptQueries } from '../attempts/attempt-queries';
import { DeliveryAttempt, attemptRowFrom } from '../attempts/delivery-attempt.entity';
import { AuditEntry, auditRowFrom } from '../audit-trail/audit-entry.entity';
import { AuditTrailQueries } from '../audit-trail/audit-trail.controller';
import { eventLogEntities } from '../event-log.module';
import type { EventLogOptions } from '../event-log.options';
import { EventEntity, eventRowFrom } from '../events/event.entity';
import { EventQueries } from '../events/event-queries';
import { DeliveryReplay } from '../replay/delivery-replay.entity';
import { RecoverWebhookUseCase } from '../replay/recover-webhook.usecase';
import { Recovery } from '../replay/recovery.entity';
import { RecoveryQueries } from '../replay/recovery-queries';
import { RedeliverEventUseCase } from '../replay/redeliver-event.usecase';
import { ReplayDeliveries } from '../replay/replay-deliveries';
import { ensurePartitions } from '../storage/partitions';

jest.setTimeout(90_000);

const tenantId = 'acme';
const now = Date.now();
const at = (secondsAgo: number) => new Date(now - secondsAgo * 1000).toISOString();
/** What each webhook subscribes to now; wh_past subscribed to order.created before. */
const webhooks = {
  wh_mine: ['agent.created'],
  wh_other: ['agent.created', 'order.created'],
  wh_orders: ['order.created'],
  wh_past: ['agent.created'],
};
/** evt_a (agent.created) went to mine and other, evt_o (order.created) to other, orders and past, evt_m (failed) to mine. */
const deliveries = [
  { eventId: 'evt_a', eventType: 'agent.created', webhookId: 'wh_mine', outcome: 'success' },
  { eventId: 'evt_a', eventType: 'agent.created', webhookId: 'wh_other', outcome: 'success' },
  { eventId: 'evt_o', eventType: 'order.created', webhookId: 'wh_other', outcome: 'http_error' },
  { eventId: 'evt_o', eventType: 'order.created', webhookId: 'wh_orders', outcome: 'success' },
  { eventId: 'evt_o', eventType: 'order.created', webhookId: 'wh_past', outcome: 'http_error' },
  { eventId: 'evt_m', eventType: 'agent.created', webhookId: 'wh_mine', outcome: 'http_error' },
] as const;

const session = (subset: { webhookIds?: string[]; eventTypes?: string[] }): Principal => ({
  tenantId,
  scopes: ['admin', 'read'],
  keyId: 'ps_1',
  session: { id: 'ps_1', webhookIds: subset.webhookIds ?? null, eventTypes: subset.eventTypes ?? null },
});

describe("a portal session's subset on audit-log's reads and replays (real PostgreSQL and Kafka)", () => {
  let dataSource: DataSource;
  let kafka: KafkaClient;
  let attempts: AttemptQueries;
  let events: EventQueries;
  let recoveries: RecoveryQueries;
  let audit: AuditTrailQueries;
  let redeliver: RedeliverEventUseCase;
  let recover: RecoverWebhookUseCase;

  beforeAll(async () => {
    const url = await createTestDatabase();
    await migrateDatabase(url);
    dataSource = await new DataSource(dataSourceOptions(url, eventLogEntities, 4)).initialize();
    await ensurePartitions(dataSource, new Date(now));
    const logger = pino({ level: 'silent' });
    kafka = new KafkaClient(
      {
        brokers: [testBrokers()],
        clientId: 'int-test',
        topicPrefix: `${uniqueName()}.`,
        partitions: 1,
        replicationFactor: 1,
        createTopics: true,
      },
      logger,
    );
    await kafka.connect();
    const repo = <T extends object>(entity: new () => T) => dataSource.getRepository(entity);
    attempts = new AttemptQueries(repo(DeliveryAttempt), repo(DeliveryReplay), repo(EventEntity));
    events = new EventQueries(dataSource, repo(EventEntity), attempts);
    recoveries = new RecoveryQueries(repo(Recovery));
    audit = new AuditTrailQueries(repo(AuditEntry));
    const replays = new ReplayDeliveries(dataSource, kafka, new MetricsService('test'));
    redeliver = new RedeliverEventUseCase(dataSource, events, replays);
    const options = { recoveryMaxRatePerSecond: 50 } as EventLogOptions;
    recover = new RecoverWebhookUseCase(dataSource, repo(Recovery), replays, options, logger);

    for (const eventId of ['evt_a', 'evt_o', 'evt_m']) {
      const eventType = deliveries.find((d) => d.eventId === eventId)!.eventType;
      const envelope = { eventId, eventType, tenantId, occurredAt: at(120), receivedAt: at(120), source: 'test' };
      await repo(EventEntity).insert(eventRowFrom({ ...envelope, schemaVersion: 1, data: { eventId } }));
    }
    for (const [i, d] of deliveries.entries()) {
      const record: AttemptRecord = {
        ...d,
        attemptId: `att_${d.eventId}_${d.webhookId}`,
        deliveryId: `dlv_${i}`,
        tenantId,
        attempt: 1,
        request: { url: 'https://example.com/in', method: 'POST', headers: {}, body: '{}' },
        response: { status: d.outcome === 'success' ? 200 : 500, headers: {}, body: '', bodyTruncated: false },
        error: d.outcome === 'success' ? null : 'HTTP 500',
        startedAt: at(100 - i),
        durationMs: 5,
        nextAttemptAt: null,
        deadLettered: false,
      };
      await repo(DeliveryAttempt).insert(attemptRowFrom(record));
    }
    // subscription-api's table, in the same database: what each webhook subscribes to now.
    for (const [id, events] of Object.entries(webhooks)) {
      await dataSource.query(
        `INSERT INTO webhooks (id, tenant_id, name, url, events, status, secret, created_by, modified_by)
         VALUES ($1, $2, $4, 'https://example.com/in', $3, 'ACTIVE', 'whsec_x', '{}', '{}')`,
        [id, tenantId, events, `hook ${id}`],
      );
    }
    for (const webhookId of ['wh_mine', 'wh_other']) {
      await dataSource.query(
        `INSERT INTO recoveries (recovery_id, tenant_id, webhook_id, since, rate_per_second, status, requested_by, scheduled, created_at)
         VALUES ($1, $2, $3, now() - interval '1 hour', 5, 'completed', 'key_1', 0, now())`,
        [`rcv_${webhookId}`, tenantId, webhookId],
      );
      await repo(AuditEntry).insert(
        auditRowFrom({
          auditId: `aud_${webhookId}`,
          tenantId,
          occurredAt: at(200),
          actor: { keyId: 'key_1', userId: null, userName: null },
          action: 'webhook.created',
          resourceType: 'webhook',
          resourceId: webhookId,
          before: null,
          after: { url: 'https://example.com/in' },
          requestId: null,
        }),
      );
    }
  });

  afterAll(async () => {
    await recover?.onApplicationShutdown();
    await kafka?.disconnect();
    await dataSource?.destroy();
  });

  const ids = <T>(list: T[], key: keyof T) => list.map((item) => item[key]).sort();

  it('shows a session limited to some webhooks only their events, attempts, recoveries and audit entries', async () => {
    const mine = session({ webhookIds: ['wh_mine'] });
    const attemptPage = await attempts.list(mine, { limit: 50 });
    expect(ids(attemptPage.data, 'webhookId')).toEqual(['wh_mine', 'wh_mine']);
    await expect(attempts.get(mine, 'att_evt_a_wh_other')).rejects.toMatchObject({ code: 'not_found' });
    expect((await attempts.get(mine, 'att_evt_a_wh_mine')).webhookId).toBe('wh_mine');

    const eventPage = await events.list(mine, { limit: 50 });
    expect(ids(eventPage.data, 'eventId')).toEqual(['evt_a', 'evt_m']);
    expect(eventPage.data.find((e) => e.eventId === 'evt_a')).toMatchObject({ webhooks: 1, status: 'delivered' });
    await expect(events.get(mine, 'evt_o')).rejects.toMatchObject({ code: 'not_found' });
    expect((await events.get(mine, 'evt_a')).deliveries.map((d) => d.webhookId)).toEqual(['wh_mine']);

    expect(ids((await recoveries.list(mine)).data, 'webhookId')).toEqual(['wh_mine']);
    await expect(recoveries.get(mine, 'rcv_wh_other')).rejects.toMatchObject({ code: 'not_found' });
    expect(ids((await audit.list(mine, { limit: 50 })).data, 'resourceId')).toEqual(['wh_mine']);

    // An API key of the tenant still sees everything.
    const key = { tenantId, scopes: ['read'], keyId: 'key_1' };
    expect((await attempts.list(key, { limit: 50 })).data).toHaveLength(6);
    expect((await events.list(key, { limit: 50 })).data).toHaveLength(3);
  });

  it('redelivers and recovers only to the webhooks of the session (404 for the others)', async () => {
    const mine = session({ webhookIds: ['wh_mine'] });
    const resent = await redeliver.execute({ principal: mine, eventId: 'evt_a' });
    expect(resent.deliveries.map((d) => d.webhookId)).toEqual(['wh_mine']);
    const stored = await dataSource.query("SELECT webhook_id FROM delivery_replays WHERE event_id = 'evt_a'");
    expect(stored).toEqual([{ webhook_id: 'wh_mine' }]);
    await expect(redeliver.execute({ principal: mine, eventId: 'evt_a', webhookId: 'wh_other' })).rejects.toMatchObject(
      { code: 'not_found' },
    );
    await expect(redeliver.execute({ principal: mine, eventId: 'evt_o' })).rejects.toMatchObject({
      code: 'not_found',
      message: 'Event evt_o not found',
    });

    const since = new Date(now - 3600_000);
    await expect(recover.execute({ principal: mine, webhookId: 'wh_other', since })).rejects.toMatchObject({
      code: 'not_found',
    });
    const job = await recover.execute({ principal: mine, webhookId: 'wh_mine', since });
    await recover.whenDone(job.recoveryId);
    expect(await recoveries.get(mine, job.recoveryId)).toMatchObject({ status: 'completed', scheduled: 1 });
    const replays = await dataSource.query('SELECT webhook_id, event_id FROM delivery_replays WHERE recovery_id = $1', [
      job.recoveryId,
    ]);
    expect(replays).toEqual([{ webhook_id: 'wh_mine', event_id: 'evt_m' }]);
  });

  it('shows a session limited to event types only those, and refuses to recover or audit beyond them', async () => {
    const agents = session({ eventTypes: ['agent.*'] });
    // wh_other subscribes to order.created too, so it is hidden like in subscription-api; wh_past's old order is too.
    const attemptPage = await attempts.list(agents, { limit: 50 });
    expect(ids(attemptPage.data, 'attemptId')).toEqual(['att_evt_a_wh_mine', 'att_evt_m_wh_mine']);
    await expect(attempts.get(agents, 'att_evt_a_wh_other')).rejects.toMatchObject({ code: 'not_found' });
    await expect(attempts.get(agents, 'att_evt_o_wh_past')).rejects.toMatchObject({ code: 'not_found' });
    expect((await events.get(agents, 'evt_a')).deliveries.map((d) => d.webhookId)).toEqual(['wh_mine']);
    expect(ids((await events.list(agents, { limit: 50 })).data, 'eventId')).toEqual(['evt_a', 'evt_m']);
    await expect(events.get(agents, 'evt_o')).rejects.toMatchObject({ code: 'not_found' });
    await expect(redeliver.execute({ principal: agents, eventId: 'evt_o' })).rejects.toMatchObject({
      code: 'not_found',
    });
    const since = new Date(now - 3600_000);
    await expect(recover.execute({ principal: agents, webhookId: 'wh_other', since })).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(recover.execute({ principal: agents, webhookId: 'wh_past', since })).rejects.toMatchObject({
      code: 'forbidden',
      message: 'This portal session is limited to event types agent.*; it cannot use order.created',
    });
    // wh_mine's: the one seeded and the one the test above ran.
    expect(ids((await recoveries.list(agents)).data, 'webhookId')).toEqual(['wh_mine', 'wh_mine']);
    await expect(recoveries.get(agents, 'rcv_wh_other')).rejects.toMatchObject({ code: 'not_found' });
    await expect(audit.list(agents, { limit: 50 })).rejects.toMatchObject({ code: 'forbidden' });
    const exact = session({ eventTypes: ['order.created'] });
    const orders = await events.list(exact, { limit: 50 });
    expect(orders.data.map((e) => [e.eventId, e.webhooks, e.status])).toEqual([['evt_o', 1, 'delivered']]);
  });
});
