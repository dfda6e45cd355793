import { Client } from 'pg';
import {
  Receiver,
  eventually,
  produceRaw,
  readTopic,
  startTestStack,
  testKafka,
  type TestStack,
} from '@herald/testing';

jest.setTimeout(240_000);

const DAY_MS = 86_400_000;

/**
 * The event log end to end on the real stack: every attempt of an event to three webhooks
 * (one failing) read back with request and response; redelivery and recovery making new,
 * linked attempts; tenant isolation; a replay of `webhooks.attempts` from offset zero leaving
 * the tables unchanged; retention dropping old partitions.
 */
describe('event log', () => {
  let stack: TestStack;
  let db: Client;
  const ok1 = new Receiver();
  const ok2 = new Receiver();
  const flaky = new Receiver();
  const ids: Record<string, string> = {};
  let eventId = '';

  beforeAll(async () => {
    await Promise.all([ok1.start(), ok2.start(), flaky.start()]);
    flaky.reply = () => ({ status: 500, body: 'receiver is down' });
    stack = await startTestStack({
      env: {
        'audit-log': { EVENT_LOG_MAINTENANCE_INTERVAL_MS: '1000', RECOVERY_MAX_RATE_PER_SECOND: '20' },
        // Retries an hour out and no breaker, so only the test's own redeliveries and recoveries resend.
        deliverer: { DELIVERY_RETRY_SCHEDULE: '3600', DELIVERY_BREAKER_FAILURES: '1000' },
      },
    });
    db = new Client({ connectionString: stack.databaseUrl });
    await db.connect();
    for (const [name, receiver, events] of [
      ['ok1', ok1, ['order.*']],
      ['ok2', ok2, ['order.*']],
      ['flaky', flaky, ['*']],
    ] as const) {
      const created = await stack.api('/v1/webhooks', {
        method: 'POST',
        body: { name, url: `${receiver.url}/in`, events },
      });
      expect(created.status).toBe(201);
      ids[name] = created.body.id;
    }
  });

  afterAll(async () => {
    await db?.end();
    await stack?.stop();
    await Promise.all([ok1.stop(), ok2.stop(), flaky.stop()]);
  });

  it('shows an event delivered to three webhooks, one failing, with every request and response', async () => {
    const posted = await stack.api('/v1/events', {
      method: 'POST',
      body: { eventType: 'order.created', tenantId: 'default', data: { orderId: 'o-1' } },
    });
    expect(posted.status).toBe(202);
    eventId = posted.body.eventId;

    const message = await eventually(
      async () => {
        const r = await stack.api(`/v1/messages/${eventId}`);
        return r.status === 200 && r.body.deliveries.length === 3 ? r.body : undefined;
      },
      60_000,
      'three deliveries in the log',
    );
    expect(message).toMatchObject({
      eventId,
      eventType: 'order.created',
      tenantId: 'default',
      data: { orderId: 'o-1' },
    });
    const byWebhook = new Map<string, any>(message.deliveries.map((d: any) => [d.webhookId, d]));
    for (const name of ['ok1', 'ok2']) {
      const delivery = byWebhook.get(ids[name]);
      expect(delivery.status).toBe('delivered');
      expect(delivery.attempts[0]).toMatchObject({
        outcome: 'success',
        trigger: 'event',
        replayOf: null,
        response: { status: 200, body: 'ok' },
      });
      expect(delivery.attempts[0].request.headers['webhook-signature']).toMatch(/^v1,/);
    }
    const failing = byWebhook.get(ids.flaky);
    expect(['failed', 'retrying']).toContain(failing.status);
    expect(message.status).toBe(failing.status);
    expect(failing.attempts[0]).toMatchObject({
      outcome: 'http_error',
      error: 'HTTP 500',
      response: { status: 500, body: 'receiver is down' },
    });
    expect(JSON.parse(failing.attempts[0].request.body)).toMatchObject({
      eventId,
      event: 'order.created',
      data: { orderId: 'o-1' },
    });

    const full = await stack.api(`/v1/attempts/${failing.attempts[0].attemptId}`);
    expect(full.status).toBe(200);
    expect(full.body).toMatchObject({
      webhookId: ids.flaky,
      eventId,
      request: { url: `${flaky.url}/in`, method: 'POST' },
      response: { status: 500 },
    });

    const listed = await stack.api(`/v1/messages?eventType=order.created&status=${failing.status}`);
    expect(listed.body.data.map((m: any) => m.eventId)).toContain(eventId);
    const delivered = await stack.api('/v1/messages?status=delivered');
    expect(delivered.body.data.map((m: any) => m.eventId)).not.toContain(eventId);

    const attemptsOfWebhook = await stack.api(`/v1/attempts?webhookId=${ids.flaky}&outcome=http_error`);
    expect(attemptsOfWebhook.body.data.length).toBeGreaterThanOrEqual(1);
    expect(attemptsOfWebhook.body.data.every((a: any) => a.webhookId === ids.flaky && a.outcome === 'http_error')).toBe(
      true,
    );
    const badQuery = await stack.api('/v1/messages?status=lost');
    expect(badQuery.status).toBe(400);
    expect(badQuery.body.error.message).toMatch(/status must be delivered, failed, retrying or no_deliveries/);
  });

  it('keeps tenant B out of tenant A’s log (404)', async () => {
    const asB = { headers: { 'x-tenant-id': 'tenant-b' } };
    expect((await stack.api(`/v1/messages/${eventId}`, asB)).status).toBe(404);
    const attempts = await stack.api(`/v1/attempts?eventId=${eventId}`);
    expect((await stack.api(`/v1/attempts/${attempts.body.data[0].attemptId}`, asB)).status).toBe(404);
    expect((await stack.api(`/v1/attempts?eventId=${eventId}`, asB)).body.data).toEqual([]);
    expect((await stack.api('/v1/messages', asB)).body.data).toEqual([]);
    expect((await stack.api(`/v1/messages/${eventId}/redeliver`, { ...asB, method: 'POST', body: {} })).status).toBe(
      404,
    );
    const recover = await stack.api('/v1/recoveries', {
      ...asB,
      method: 'POST',
      body: { webhookId: ids.flaky, since: new Date(Date.now() - DAY_MS).toISOString() },
    });
    expect(recover.status).toBe(404);
  });

  it('takes the admin API’s tenant keys and scopes: a read key reads but cannot replay, another tenant’s key gets 404', async () => {
    const key = async (tenantId: string, scopes: string[]) => {
      const created = await stack.api('/v1/api-keys', {
        method: 'POST',
        body: { name: `${tenantId} ${scopes}`, scopes, tenantId },
      });
      expect(created.status).toBe(201);
      return { authorization: `Bearer ${created.body.key}` };
    };
    const reader = await key('default', ['read']);
    const other = await key('tenant-b', ['admin']);
    expect((await stack.api(`/v1/messages/${eventId}`, { headers: reader })).status).toBe(200);
    const replay = await stack.api(`/v1/messages/${eventId}/redeliver`, { method: 'POST', body: {}, headers: reader });
    expect(replay.status).toBe(403);
    expect(replay.body.error.message).toMatch(/admin/);
    expect((await stack.api(`/v1/messages/${eventId}`, { headers: other })).status).toBe(404);
    expect(
      (await stack.api(`/v1/messages/${eventId}/redeliver`, { method: 'POST', body: {}, headers: other })).status,
    ).toBe(404);
    expect((await stack.api('/v1/messages', { headers: { authorization: 'Bearer hk_wrong' } })).status).toBe(401);
  });

  it('redelivers one event to one webhook as a new attempt linked to the original delivery', async () => {
    flaky.reply = () => ({ status: 200, body: 'back up' });
    const before = flaky.requests.length;
    const original = (await stack.api(`/v1/attempts?eventId=${eventId}&webhookId=${ids.flaky}`)).body.data.at(
      -1,
    ).deliveryId;
    const response = await stack.api(`/v1/messages/${eventId}/redeliver`, {
      method: 'POST',
      body: { webhookId: ids.flaky },
    });
    expect(response.status).toBe(202);
    expect(response.body.deliveries).toEqual([
      expect.objectContaining({ webhookId: ids.flaky, replayOf: original, trigger: 'redelivery' }),
    ]);
    const newDelivery = response.body.deliveries[0].deliveryId;
    expect(newDelivery).not.toBe(original);

    const attempt = await eventually(
      async () => {
        const page = await stack.api(`/v1/attempts?deliveryId=${newDelivery}`);
        return page.body.data[0];
      },
      60_000,
      'the redelivery attempt',
    );
    expect(attempt).toMatchObject({
      eventId,
      webhookId: ids.flaky,
      outcome: 'success',
      trigger: 'redelivery',
      replayOf: original,
    });
    expect(flaky.requests.length).toBeGreaterThan(before);
    expect(JSON.parse(flaky.requests.at(-1)!.body).eventId).toBe(eventId);
    const message = await stack.api(`/v1/messages/${eventId}`);
    expect(message.body.deliveries.find((d: any) => d.webhookId === ids.flaky).status).toBe('delivered');

    const okOnly = ok1.requests.length;
    const all = await stack.api(`/v1/messages/${eventId}/redeliver`, { method: 'POST', body: {} });
    expect(all.body.deliveries.map((d: any) => d.webhookId).sort()).toEqual([ids.ok1, ids.ok2, ids.flaky].sort());
    await eventually(async () => ok1.requests.length > okOnly, 60_000, 'redelivery to every webhook');
    // Every redelivery has been attempted before the next test changes what the flaky receiver answers.
    await eventually(
      async () => {
        for (const { deliveryId } of all.body.deliveries) {
          if (!(await stack.api(`/v1/attempts?deliveryId=${deliveryId}`)).body.data[0]) return false;
        }
        return true;
      },
      60_000,
      'an attempt of every redelivery',
    );
  });

  it('recovers a webhook: resends every failed delivery since a time, no faster than the rate asked', async () => {
    flaky.reply = () => ({ status: 503, body: 'down again' });
    const since = new Date(Date.now() - 1000).toISOString();
    const failedIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const posted = await stack.api('/v1/events', {
        method: 'POST',
        body: { eventType: 'invoice.paid', tenantId: 'default', data: { i } },
      });
      failedIds.push(posted.body.eventId);
    }
    await eventually(
      async () => {
        const page = await stack.api(
          `/v1/attempts?webhookId=${ids.flaky}&since=${encodeURIComponent(since)}&outcome=http_error`,
        );
        const seen = new Set(page.body.data.map((a: any) => a.eventId));
        return failedIds.every((id) => seen.has(id));
      },
      60_000,
      'three failed attempts stored',
    );

    flaky.reply = () => ({ status: 200, body: 'fixed' });
    const started = await stack.api('/v1/recoveries', {
      method: 'POST',
      body: { webhookId: ids.flaky, since, ratePerSecond: 2 },
    });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ webhookId: ids.flaky, status: 'running', ratePerSecond: 2 });
    const done = await eventually(
      async () => {
        const r = await stack.api(`/v1/recoveries/${started.body.recoveryId}`);
        return r.body.status === 'completed' ? r.body : undefined;
      },
      60_000,
      'recovery completed',
    );
    expect(done.scheduled).toBe(3);

    const recovered = await eventually(
      async () => {
        const page = await stack.api(`/v1/attempts?webhookId=${ids.flaky}&since=${encodeURIComponent(since)}`);
        const mine = page.body.data.filter(
          (a: any) => a.trigger === 'recovery' && a.recoveryId === started.body.recoveryId,
        );
        return mine.length === 3 ? mine : undefined;
      },
      60_000,
      'three recovery attempts',
    );
    expect(recovered.map((a: any) => a.eventId).sort()).toEqual([...failedIds].sort());
    expect(recovered.every((a: any) => a.outcome === 'success' && a.replayOf)).toBe(true);
    // Three resends at 2/s: each at least 500 ms after the previous, by the times the scheduler
    // (audit-log) recorded and paced by, so load on the machine cannot shrink a gap. The deliverer's
    // and the receiver's clocks add their own jitter and are not used.
    const sent = await db.query(
      'SELECT requested_at FROM delivery_replays WHERE recovery_id = $1 ORDER BY requested_at',
      [started.body.recoveryId],
    );
    const times = sent.rows.map((r) => (r.requested_at as Date).getTime());
    expect(times).toHaveLength(3);
    expect([times[1] - times[0], times[2] - times[1]].every((gap) => gap >= 500)).toBe(true);

    const tooFast = await stack.api('/v1/recoveries', {
      method: 'POST',
      body: { webhookId: ids.flaky, since, ratePerSecond: 1000 },
    });
    expect(tooFast.status).toBe(400);
    expect(tooFast.body.error.message).toMatch(/ratePerSecond must be at most 20/);
  });

  it('returns lastTriggeredAt and delivery statistics with the webhook', async () => {
    const stats = await eventually(
      async () => {
        const r = await stack.api(`/v1/webhooks/${ids.flaky}`);
        return r.body.deliveryStats?.attempts >= 5 ? r.body : undefined;
      },
      30_000,
      'statistics of the flaky webhook',
    );
    // 1 + 3 failures, 1 redelivery + 1 redelivery to all + 3 recoveries succeeded (retries may add more).
    expect(stats.deliveryStats.successes).toBeGreaterThanOrEqual(5);
    expect(stats.deliveryStats.attempts - stats.deliveryStats.successes).toBeGreaterThanOrEqual(4);
    expect(stats.deliveryStats.successRate).toBeGreaterThan(0);
    expect(stats.deliveryStats.successRate).toBeLessThan(1);
    expect(stats.deliveryStats.lastError).toMatch(/HTTP 50[03]/);
    expect(Date.parse(stats.lastTriggeredAt)).toBeGreaterThan(Date.now() - 120_000);
    const list = await stack.api('/v1/webhooks');
    const ok = list.body.data.find((w: any) => w.id === ids.ok1);
    expect(ok.deliveryStats).toMatchObject({ successRate: 1, lastError: null });
    // The deliverer's adaptive limit, as of the latest attempt: at least 1, at most the default maximum.
    expect(ok.deliveryStats.concurrencyLimit).toBeGreaterThanOrEqual(1);
    expect(ok.deliveryStats.concurrencyLimit).toBeLessThanOrEqual(10);
    expect(ok.lastTriggeredAt).not.toBeNull();
  });

  it('stores the admin audit trail written by subscription-api: who changed what, before and after', async () => {
    const patched = await stack.api(`/v1/webhooks/${ids.ok2}`, { method: 'PATCH', body: { name: 'ok2 renamed' } });
    expect(patched.status).toBe(200);
    const entries = await eventually(
      async () => {
        const page = await stack.api(`/v1/audit-log?resourceId=${ids.ok2}`);
        return page.body.data.length >= 2 ? page.body.data : undefined;
      },
      30_000,
      'audit records of the webhook',
    );
    const updated = entries.find((e: any) => e.action === 'webhook.updated');
    expect(updated).toMatchObject({
      resourceType: 'webhook',
      resourceId: ids.ok2,
      before: { name: 'ok2' },
      after: { name: 'ok2 renamed' },
    });
    expect(updated.actor.keyId).toBeTruthy();
    expect(entries.map((e: any) => e.action)).toContain('webhook.created');
    expect(JSON.stringify(entries)).not.toMatch(/whsec_/);
  });

  it('serves audit records as produced and dead-letters a record it cannot read', async () => {
    const record = {
      auditId: 'aud_e2e_1',
      tenantId: 'default',
      occurredAt: new Date().toISOString(),
      actor: { keyId: 'key_1', userId: 'u-1', userName: 'Ada' },
      action: 'webhook.updated',
      resourceType: 'webhook',
      resourceId: ids.ok1,
      before: { name: 'ok1' },
      after: { name: 'renamed' },
    };
    await produceRaw(`${stack.prefix}webhooks.audit`, [
      { key: 'default', value: record },
      { key: 'default', value: { auditId: 'aud_bad' } },
    ]);
    const entry = await eventually(
      async () => {
        const page = await stack.api(`/v1/audit-log?resourceId=${ids.ok1}`);
        return page.body.data.find((e: any) => e.auditId === 'aud_e2e_1');
      },
      30_000,
      'the audit record',
    );
    expect(entry).toMatchObject({
      action: 'webhook.updated',
      actor: { userName: 'Ada' },
      before: { name: 'ok1' },
      after: { name: 'renamed' },
    });
    // tenant-b has its own trail (its API key's creation) and none of the default tenant's.
    const ofB = (await stack.api('/v1/audit-log', { headers: { 'x-tenant-id': 'tenant-b' } })).body.data;
    expect(ofB.length).toBeGreaterThan(0);
    expect(ofB.every((e: any) => e.tenantId === 'tenant-b')).toBe(true);
    const letters = await readTopic(`${stack.prefix}webhooks.event-log.dlq`, 1, 20_000);
    expect(JSON.parse(letters[0].value!).reason).toMatch(/not a valid audit record: .*tenantId/);
  });

  it('leaves every table unchanged when webhooks.attempts is replayed from offset zero', async () => {
    const tables = async () => ({
      attempts: (await db.query('SELECT attempt_id, outcome, response FROM delivery_attempts ORDER BY attempt_id'))
        .rows,
      messages: (await db.query('SELECT event_id, received_at FROM messages ORDER BY event_id')).rows,
      audit: (await db.query('SELECT audit_id FROM audit_records ORDER BY audit_id')).rows,
      stats: (await db.query('SELECT * FROM webhook_stats ORDER BY webhook_id')).rows.map(
        ({ updated_at: _, ...rest }) => rest,
      ),
    });
    // Let in-flight work settle, then take the picture.
    let before = await tables();
    await eventually(
      async () => {
        await new Promise((r) => setTimeout(r, 1500));
        const now = await tables();
        const same = JSON.stringify(now) === JSON.stringify(before);
        before = now;
        return same;
      },
      30_000,
      'a quiet log',
    );
    expect(before.attempts.length).toBeGreaterThanOrEqual(10);

    const auditLog = stack.services['audit-log'];
    expect(await auditLog.stop()).toBe(0);
    const admin = testKafka().admin();
    await admin.connect();
    try {
      await admin.resetOffsets({
        groupId: `${stack.prefix}herald-audit-log`,
        topic: `${stack.prefix}webhooks.attempts`,
        earliest: true,
      });
    } finally {
      await admin.disconnect();
    }
    await auditLog.start();
    await eventually(
      async () => {
        const admin2 = testKafka().admin();
        await admin2.connect();
        try {
          const [committed] = await admin2.fetchOffsets({
            groupId: `${stack.prefix}herald-audit-log`,
            topics: [`${stack.prefix}webhooks.attempts`],
          });
          const ends = await admin2.fetchTopicOffsets(`${stack.prefix}webhooks.attempts`);
          // Reset to earliest and consumed again up to the end (an empty partition has nothing to commit).
          return committed.partitions.every((p) => {
            const high = ends.find((e) => e.partition === p.partition)!.high;
            return high === '0' || p.offset === high;
          });
        } finally {
          await admin2.disconnect();
        }
      },
      60_000,
      'the replay consumed to the end',
    );
    expect(await tables()).toEqual(before);
  });

  it('drops partitions older than the retention period', async () => {
    const old = new Date(Date.now() - 45 * DAY_MS);
    const day = old.toISOString().slice(0, 10);
    const from = `${day}T00:00:00Z`;
    const to = new Date(Date.parse(from) + DAY_MS).toISOString();
    const name = `messages_${day.replace(/-/g, '')}`;
    await db.query(`CREATE TABLE ${name} PARTITION OF messages FOR VALUES FROM ('${from}') TO ('${to}')`);
    await db.query(
      `INSERT INTO messages (event_id, tenant_id, event_type, occurred_at, received_at, source, schema_version, data)
       VALUES ('evt_ancient', 'default', 'order.created', $1, $1, 'test', 1, '{}')`,
      [old],
    );
    await eventually(
      async () => {
        const { rows } = await db.query('SELECT to_regclass($1) IS NULL AS gone', [name]);
        return rows[0].gone;
      },
      30_000,
      'the old partition dropped',
    );
    await eventually(
      async () => (await stack.api('/v1/messages/evt_ancient')).status === 404,
      10_000,
      'the old event gone',
    );
    expect((await stack.api(`/v1/messages/${eventId}`)).status).toBe(200);
  });
});
