import { Webhook } from 'standardwebhooks';
import { Receiver, eventually, produceRaw, readTopic, startTestStack, type TestStack } from '@herald/testing';

jest.setTimeout(120_000);

/**
 * The whole slice on the real broker and database: REST webhook → event on the ingest topic and
 * over HTTP → ingest → matcher → deliverer (signed) → receiver → attempt stored → read back.
 */
describe('vertical slice', () => {
  let stack: TestStack;
  const receiver = new Receiver();
  const other = new Receiver();

  beforeAll(async () => {
    await Promise.all([receiver.start(), other.start()]);
    stack = await startTestStack();
  });

  afterAll(async () => {
    await stack?.stop();
    await Promise.all([receiver.stop(), other.stop()]);
  });

  it('delivers signed events published to Kafka and over HTTP, and records each attempt', async () => {
    const created = await stack.api('/v1/webhooks', {
      method: 'POST',
      body: { name: 'Agent sync', url: `${receiver.url}/hooks`, events: ['agent.*'], technicalContactId: 'user-1' },
    });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_/);
    expect(created.body.status).toBe('ACTIVE');
    const webhookId: string = created.body.id;
    const secret: string = created.body.secret;

    // A webhook of another tenant subscribed to the same type must not receive tenant-a events.
    const foreign = await stack.api('/v1/webhooks', {
      method: 'POST',
      headers: { 'x-tenant-id': 'tenant-b' },
      body: { url: `${other.url}/hooks`, events: ['*'] },
    });
    expect(foreign.status).toBe(201);

    await produceRaw(`${stack.prefix}webhooks.ingest`, [
      {
        key: 'default',
        value: {
          eventType: 'agent.created',
          tenantId: 'default',
          eventId: 'evt-kafka-1',
          data: { agentName: 'Support' },
        },
      },
    ]);
    const posted = await stack.api('/v1/events', {
      method: 'POST',
      body: { eventType: 'agent.updated', tenantId: 'default', data: { agentName: 'Support 2' } },
    });
    expect(posted.status).toBe(202);
    const httpEventId: string = posted.body.eventId;

    await eventually(async () => receiver.requests.length >= 2, 30000, 'two deliveries');
    const verifier = new Webhook(secret);
    const bodies = receiver.requests.map((request) => {
      expect(request.method).toBe('POST');
      expect(request.path).toBe('/hooks');
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers['user-agent']).toMatch(/^Herald\//);
      // Independent verification with the standardwebhooks package.
      return verifier.verify(request.body, request.headers as Record<string, string>) as {
        eventId: string;
        event: string;
        data: unknown;
      };
    });
    expect(bodies.map((b) => b.eventId).sort()).toEqual(['evt-kafka-1', httpEventId].sort());
    expect(bodies.find((b) => b.eventId === 'evt-kafka-1')).toMatchObject({
      event: 'agent.created',
      data: { agentName: 'Support' },
    });
    expect(receiver.requests.every((r) => r.headers['webhook-id'] === r.headers['x-webhook-event-id'])).toBe(true);
    expect(other.requests).toHaveLength(0);

    const attempts: any[] = await eventually(
      async () => {
        const page = await stack.api(`/v1/attempts?webhookId=${webhookId}`);
        return page.status === 200 && page.body.data.length >= 2 ? page.body.data : undefined;
      },
      20000,
      'attempts stored',
    );
    expect(attempts).toHaveLength(2);
    for (const attempt of attempts) {
      expect(attempt).toMatchObject({ webhookId, tenantId: 'default', outcome: 'success', attempt: 1 });
      expect(attempt.response.status).toBe(200);
      expect(JSON.stringify(attempt)).not.toContain(secret);
    }
    const one = await stack.api(`/v1/attempts/${(attempts as any[])[0].attemptId}`);
    expect(one.status).toBe(200);
    expect(one.body.request.headers['webhook-signature']).toMatch(/^v1,/);

    // Tenant isolation on the read side: tenant-b sees none of it.
    const hidden = await stack.api(`/v1/attempts/${(attempts as any[])[0].attemptId}`, {
      headers: { 'x-tenant-id': 'tenant-b' },
    });
    expect(hidden.status).toBe(404);
  });

  it('dead-letters bad input on the ingest topic with the reason and keeps delivering', async () => {
    const created = await stack.api('/v1/webhooks', {
      method: 'POST',
      body: { name: 'DLQ check', url: `${receiver.url}/dlq`, events: ['ANALYSIS_COMPLETE'] },
    });
    expect(created.status).toBe(201);
    await produceRaw(`${stack.prefix}webhooks.ingest`, [
      // One key, so one partition, so the dead letters keep this order.
      { key: 'same', value: 'this is not json' },
      { key: 'same', value: { tenantId: 'default', data: {} } },
      { key: 'same', value: { eventType: 'ANALYSIS_COMPLETE' } },
      { key: 'same', value: { eventType: 'ANALYSIS_COMPLETE', tenantId: 'default', eventId: 'evt-after-bad' } },
    ]);
    const letters = await readTopic(`${stack.prefix}webhooks.events.dlq`, 3, 20000);
    expect(letters).toHaveLength(3);
    const reasons = letters.map((l) => JSON.parse(l.value!).reason as string);
    expect(reasons[0]).toMatch(/not valid JSON/);
    expect(reasons[1]).toMatch(/eventType is required/);
    expect(reasons[2]).toMatch(/tenantId is required/);
    expect(JSON.parse(letters[0].value!).value).toBe('this is not json');
    await eventually(
      async () => receiver.requests.some((r) => r.path === '/dlq' && JSON.parse(r.body).eventId === 'evt-after-bad'),
      20000,
      'the good event after the bad ones',
    );
  });

  it('refuses bad API requests with a 4xx that says what is wrong', async () => {
    const noAuth = await fetch(`${stack.gatewayUrl}/v1/webhooks`);
    expect(noAuth.status).toBe(401);
    expect(((await noAuth.json()) as { error: { message: string } }).error.message).toMatch(/Authorization/);

    const badKey = await stack.api('/v1/webhooks', { headers: { authorization: 'Bearer wrong-key' } });
    expect(badKey.status).toBe(401);

    const cases: [unknown, RegExp][] = [
      [{ url: 'javascript:alert(1)', events: ['*'] }, /url scheme "javascript:" is not allowed/],
      [{ url: 'https://example.com', events: ['*'], name: 'x'.repeat(51) }, /name must be at most 50 characters/],
      [{ url: `https://example.com/${'a'.repeat(500)}`, events: ['*'] }, /url must be at most 500 characters/],
      [{ url: 'https://example.com' }, /events \(or entities\) is required/],
      [{ url: 'https://example.com', events: ['*'], colour: 'red' }, /colour/],
    ];
    for (const [body, message] of cases) {
      const response = await stack.api('/v1/webhooks', { method: 'POST', body });
      expect(response.status).toBe(400);
      expect(response.body.error.message).toMatch(message);
    }
    const malformed = await stack.api('/v1/webhooks', { method: 'POST', body: '{"url": ' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('malformed_json');

    const badEvent = await stack.api('/v1/events', { method: 'POST', body: { eventType: 'x' } });
    expect(badEvent.status).toBe(400);
    expect(badEvent.body.error.message).toMatch(/tenantId is required/);

    const missing = await stack.api('/v1/webhooks/wh_does_not_exist');
    expect(missing.status).toBe(404);
  });

  it('serves health and metrics on every service', async () => {
    for (const service of Object.values(stack.services)) {
      const live = await fetch(`${service.url}/health/live`);
      expect(live.status).toBe(200);
      const ready = await fetch(`${service.url}/health/ready`);
      expect(ready.status).toBe(200);
      const metrics = await (await fetch(`${service.url}/metrics`)).text();
      expect(metrics).toContain('process_cpu_seconds_total');
    }
    const deliverer = await (await fetch(`${stack.services.deliverer.url}/metrics`)).text();
    expect(deliverer).toMatch(/herald_delivery_attempts_total\{[^}]*outcome="success"[^}]*\} [1-9]/);
  });
});
