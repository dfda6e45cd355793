import { DataSource } from 'typeorm';
import type { AttemptRecord, AuditRecord, EventEnvelope } from '@herald/contracts';
import { MetricsService } from '@herald/observability';
import { dataSourceOptions, loadWebhookStats, migrateDatabase, toDeliveryStatsResponse } from '@herald/persistence';
import { createTestDatabase } from '@herald/testing';
import { DeliveryAttempt, attemptRowFrom } from '../attempts/delivery-attempt.entity';
import { auditRowFrom } from '../audit-trail/audit-entry.entity';
import { eventLogEntities } from '../event-log.module';
import { EventEntity, eventRowFrom } from '../events/event.entity';
import { EventLogStore } from './event-log-store';
import { dropExpiredPartitions, ensureDailyPartition, ensurePartitions, partitionName } from './partitions';

jest.setTimeout(60_000);

const now = new Date();
const event = (i: number): EventEnvelope => ({
  eventId: `evt_${i}`,
  eventType: 'agent.created',
  tenantId: 'tenant-a',
  occurredAt: now.toISOString(),
  receivedAt: now.toISOString(),
  source: 'test',
  schemaVersion: 1,
  data: { i },
});
const attempt = (i: number, outcome: AttemptRecord['outcome']): AttemptRecord => ({
  attemptId: `att_${i}`,
  deliveryId: `dlv_${i}`,
  eventId: `evt_${i}`,
  eventType: 'agent.created',
  webhookId: 'wh_1',
  tenantId: 'tenant-a',
  attempt: 1,
  request: { url: 'https://example.com/hooks', method: 'POST', headers: { 'webhook-id': `evt_${i}` }, body: '{}' },
  response:
    outcome === 'success'
      ? { status: 200, headers: {}, body: 'ok', bodyTruncated: false }
      : { status: 500, headers: {}, body: 'no', bodyTruncated: false },
  outcome,
  error: outcome === 'success' ? null : 'HTTP 500',
  startedAt: new Date(now.getTime() + i).toISOString(),
  durationMs: 12.5,
  nextAttemptAt: null,
  deadLettered: false,
});
const audit = (i: number): AuditRecord => ({
  auditId: `aud_${i}`,
  tenantId: 'tenant-a',
  occurredAt: now.toISOString(),
  actor: { keyId: 'bootstrap', userId: null, userName: null },
  action: 'webhook.updated',
  resourceType: 'webhook',
  resourceId: 'wh_1',
  before: { name: 'a' },
  after: { name: 'b' },
  requestId: null,
});

describe('event-log storage on real PostgreSQL', () => {
  let dataSource: DataSource;
  let store: EventLogStore;

  beforeAll(async () => {
    const url = await createTestDatabase();
    await migrateDatabase(url);
    dataSource = await new DataSource(dataSourceOptions(url, eventLogEntities, 4)).initialize();
    await ensurePartitions(dataSource, now);
    store = new EventLogStore(dataSource, new MetricsService('test'));
  });

  afterAll(async () => {
    await dataSource?.destroy();
  });

  const snapshot = async () => ({
    attempts: await dataSource.query('SELECT attempt_id, outcome FROM delivery_attempts ORDER BY attempt_id'),
    messages: await dataSource.query('SELECT event_id, data FROM messages ORDER BY event_id'),
    audit: await dataSource.query('SELECT audit_id, after FROM audit_records ORDER BY audit_id'),
    stats: await dataSource.query(
      'SELECT webhook_id, attempts_total, successes_total, last_outcome, last_error FROM webhook_stats',
    ),
  });

  const writeAll = (n: number) =>
    Promise.all(
      Array.from({ length: n }, (_, i) => [
        store.addAttempt(attemptRowFrom(attempt(i, i % 3 === 0 ? 'http_error' : 'success'))),
        store.addEvent(eventRowFrom(event(i))),
        store.addAudit(auditRowFrom(audit(i))),
      ]).flat(),
    );

  it('stores records in batches, and storing them again (a topic replay) changes nothing', async () => {
    await writeAll(30);
    const first = await snapshot();
    expect(first.attempts).toHaveLength(30);
    expect(first.messages).toHaveLength(30);
    expect(first.audit).toHaveLength(30);
    // i = 0, 3, …, 27 failed: 10 of 30.
    expect(first.stats).toEqual([
      {
        webhook_id: 'wh_1',
        attempts_total: '30',
        successes_total: '20',
        last_outcome: 'success',
        last_error: 'HTTP 500',
      },
    ]);
    // Rows went to today's partition, not the default one.
    const [{ count }] = await dataSource.query(
      `SELECT count(*)::int AS count FROM ${partitionName('delivery_attempts', now)}`,
    );
    expect(count).toBe(30);

    await writeAll(30);
    await Promise.all([
      store.addAttempt(attemptRowFrom(attempt(1, 'success'))),
      store.addAttempt(attemptRowFrom(attempt(1, 'success'))),
    ]);
    expect(await snapshot()).toEqual(first);
  });

  it('stores every column as given, quotes, backslashes, nulls and nested JSON included', async () => {
    const record: AttemptRecord = {
      ...attempt(500, 'timeout'),
      request: { url: 'https://example.com/a"b\\c', method: 'POST', headers: { 'x-q': 'say "hi", {x}' } },
      response: null,
      error: 'no complete response within 5000 ms',
      nextAttemptAt: new Date(now.getTime() + 60_000).toISOString(),
      deadLettered: true,
    };
    const envelope = {
      ...event(500),
      data: { text: 'a "quoted" \\ {brace}, comma', list: [1, { n: null }], unicode: 'ü €' },
      idempotencyKey: 'k-1',
    };
    await Promise.all([store.addAttempt(attemptRowFrom(record)), store.addEvent(eventRowFrom(envelope))]);
    const [row] = await dataSource.getRepository(DeliveryAttempt).find({ where: { attemptId: 'att_500' } });
    expect(row).toEqual(attemptRowFrom(record));
    const [stored] = await dataSource.getRepository(EventEntity).find({ where: { eventId: 'evt_500' } });
    expect(stored).toEqual(eventRowFrom(envelope));
  });

  it("keeps the latest attempt's adaptive concurrency limit in the webhook's statistics", async () => {
    const limited = (i: number, concurrencyLimit: number | null): AttemptRecord => ({
      ...attempt(i, 'success'),
      webhookId: 'wh_limit',
      concurrencyLimit,
    });
    await store.addAttempt(attemptRowFrom(limited(700, 7)));
    await store.addAttempt(attemptRowFrom(limited(702, 3)));
    await store.addAttempt(attemptRowFrom(limited(701, 9)));
    await store.addAttempt(attemptRowFrom(limited(703, null)));
    const stats = await loadWebhookStats(dataSource, ['wh_limit']);
    expect(toDeliveryStatsResponse(stats.get('wh_limit'))).toMatchObject({ attempts: 4, concurrencyLimit: 3 });
  });

  it('retention drops daily partitions older than the retention period and nothing newer', async () => {
    const old = new Date(now.getTime() - 40 * 86_400_000);
    const recent = new Date(now.getTime() - 10 * 86_400_000);
    for (const day of [old, recent]) await ensureDailyPartition(dataSource, 'messages', day);
    await store.addEvent(eventRowFrom({ ...event(900), receivedAt: old.toISOString() }));
    await store.addEvent(eventRowFrom({ ...event(901), receivedAt: recent.toISOString() }));

    const dropped = await dropExpiredPartitions(dataSource, 30, now);
    expect(dropped).toEqual([partitionName('messages', old)]);
    const [{ exists }] = await dataSource.query('SELECT to_regclass($1) IS NOT NULL AS exists', [
      partitionName('messages', old),
    ]);
    expect(exists).toBe(false);
    const ids = (await dataSource.query(`SELECT event_id FROM messages WHERE event_id IN ('evt_900', 'evt_901')`)).map(
      (r: { event_id: string }) => r.event_id,
    );
    expect(ids).toEqual(['evt_901']);
    expect(await dropExpiredPartitions(dataSource, 30, now)).toEqual([]);
  });
});
