import { Webhook } from 'standardwebhooks';
import { Receiver, eventually, startTestStack, type TestStack } from '@herald/testing';

jest.setTimeout(240_000);

const TENANT = 'acme';
const OPERATOR = 'ops';
const OPERATIONAL = ['webhook.*', 'delivery.dead_lettered'];

/** A delivered operational webhook's payload (the ordinary webhook body). */
interface Delivered {
  eventId: string;
  event: string;
  timestamp: string;
  tenantId: string;
  data: Record<string, any>;
}

/**
 * Each of the five operational events triggered for real on the whole stack (real Kafka and
 * PostgreSQL, the five services as processes), received by a tenant's and the operator's
 * webhooks, every one verified with the `standardwebhooks` package.
 */
describe('operational webhooks: Herald tells the tenant and the operator about webhook health, as signed webhooks', () => {
  let stack: TestStack;
  const subjects = new Receiver();
  const sink = new Receiver();
  let flakyHealthy = false;
  /** Operational receivers' paths → their webhook's secret. */
  const secrets = new Map<string, string>();
  const ids: Record<string, string> = {};
  const subjectSecrets: string[] = [];

  const asTenant = (tenantId: string) => ({ 'x-tenant-id': tenantId });
  async function createWebhook(
    tenantId: string,
    body: Record<string, unknown>,
  ): Promise<{ id: string; secret: string }> {
    const created = await stack.api('/v1/webhooks', { method: 'POST', headers: asTenant(tenantId), body });
    expect(created.status).toBe(201);
    return { id: created.body.id, secret: created.body.secret };
  }
  async function subject(name: string, body: Record<string, unknown> = {}): Promise<string> {
    const { id, secret } = await createWebhook(TENANT, {
      name,
      url: `${subjects.url}/${name}`,
      events: ['order.created'],
      ...body,
    });
    subjectSecrets.push(secret);
    ids[name] = id;
    return id;
  }
  async function publishOrder(n: number): Promise<string> {
    const sent = await stack.api('/v1/events', {
      method: 'POST',
      body: { eventType: 'order.created', tenantId: TENANT, data: { n } },
    });
    expect(sent.status).toBe(202);
    return sent.body.eventId;
  }

  /** Every request one operational receiver got, each verified with its webhook's secret (throws if not). */
  function received(path: string): Delivered[] {
    const verifier = new Webhook(secrets.get(path)!);
    return sink.requests
      .filter((r) => r.path === path)
      .map((r) => verifier.verify(r.body, r.headers as Record<string, string>) as Delivered);
  }

  /** Waits for `type` about `webhookId` at the tenant's and at the operator's receiver; the tenant's copy. */
  async function expectOperational(type: string, webhookId: string): Promise<Delivered> {
    const find = (path: string) => received(path).find((e) => e.event === type && e.data.webhookId === webhookId);
    const [mine, operators] = await eventually(
      async () => {
        const pair = [find('/tenant'), find('/operator')];
        return pair[0] && pair[1] ? pair : undefined;
      },
      90_000,
      `${type} for ${webhookId} at the tenant and the operator`,
    );
    expect(mine!.tenantId).toBe(TENANT);
    expect(operators!.tenantId).toBe(OPERATOR);
    expect(operators!.data).toEqual(mine!.data);
    expect(mine!.data).toMatchObject({ tenantId: TENANT, webhookId });
    return mine!;
  }

  beforeAll(async () => {
    await subjects.start();
    await sink.start();
    subjects.reply = (request) => {
      if (request.path === '/flaky') return flakyHealthy ? { status: 200 } : { status: 500, body: 'down' };
      if (request.path === '/gone') return { status: 410, body: 'gone' };
      if (request.path === '/dead') return { status: 500, body: 'still down' };
      return { status: 200 };
    };
    sink.reply = (request) => (request.path === '/broken-ops' ? { status: 500 } : { status: 200 });
    stack = await startTestStack({
      env: {
        '*': { OPERATIONAL_WEBHOOKS_TENANT: OPERATOR },
        deliverer: {
          DELIVERY_BREAKER_FAILURES: '2',
          DELIVERY_BREAKER_OPEN_MS: '1000',
          DELIVERY_RETRY_SCHEDULE: '0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5',
        },
      },
    });
    const listeners: [string, string][] = [
      [TENANT, '/tenant'],
      [OPERATOR, '/operator'],
      ['other', '/other'],
    ];
    for (const [tenantId, path] of listeners) {
      const { id, secret } = await createWebhook(tenantId, { url: `${sink.url}${path}`, events: OPERATIONAL });
      secrets.set(path, secret);
      ids[path] = id;
    }
    // An operational webhook that always fails: its own trouble must not make more operational events.
    const broken = await createWebhook(TENANT, {
      url: `${sink.url}/broken-ops`,
      events: OPERATIONAL,
      retrySchedule: [0],
    });
    ids.brokenOps = broken.id;
    // Catch-all webhooks keep receiving the tenant's events but not operational ones.
    await subject('all', { events: ['*'] });
  });

  afterAll(async () => {
    await stack?.stop();
    await subjects.stop();
    await sink.stop();
  });

  it('webhook.failing when the breaker opens, webhook.recovered when the receiver answers again; nothing lost', async () => {
    const id = await subject('flaky');
    const eventIds = [await publishOrder(1), await publishOrder(2), await publishOrder(3)];
    await eventually(
      async () => subjects.requests.filter((r) => r.path === '/flaky').length >= 2,
      60_000,
      'two failed requests (the breaker opens at 2)',
    );
    flakyHealthy = true;
    const failing = await expectOperational('webhook.failing', id);
    expect(failing.data).toMatchObject({
      webhookName: 'flaky',
      url: `${subjects.url}/flaky`,
      lastAttempt: { outcome: 'http_error', status: 500 },
    });
    expect(Date.parse(failing.data.failingSince)).toBeLessThanOrEqual(Date.parse(failing.data.breakerOpenedAt));
    const recovered = await expectOperational('webhook.recovered', id);
    expect(recovered.data).toMatchObject({
      breakerOpenedAt: failing.data.breakerOpenedAt,
      lastAttempt: { outcome: 'success', status: 200 },
    });
    expect(Date.parse(recovered.data.recoveredAt)).toBeGreaterThan(Date.parse(failing.data.breakerOpenedAt));
    await eventually(
      async () => {
        const ok = subjects.requests.filter((r) => r.path === '/flaky' && r.body.includes('"eventId"'));
        const delivered = new Set(ok.map((r) => JSON.parse(r.body).eventId));
        return eventIds.every((e) => delivered.has(e));
      },
      60_000,
      'all three events delivered once the receiver recovered',
    );
  });

  it('webhook.disabled (automatic) on 410 Gone, then webhook.enabled when the tenant re-enables it', async () => {
    const id = await subject('gone');
    await publishOrder(4);
    const disabled = await expectOperational('webhook.disabled', id);
    expect(disabled.data).toMatchObject({
      status: 'DISABLED',
      trigger: 'automatic',
      reason: 'the receiver answered 410 Gone',
      url: `${subjects.url}/gone`,
    });
    const activated = await stack.api(`/v1/webhooks/${id}/activate`, { method: 'POST', headers: asTenant(TENANT) });
    expect(activated.status).toBe(200);
    const enabled = await expectOperational('webhook.enabled', id);
    expect(enabled.data).toMatchObject({ previousStatus: 'DISABLED', version: activated.body.version });
  });

  it('webhook.disabled (manual) and webhook.enabled when the tenant deactivates and activates through the API', async () => {
    const id = await subject('manual');
    const off = await stack.api(`/v1/webhooks/${id}/deactivate`, { method: 'POST', headers: asTenant(TENANT) });
    expect(off.status).toBe(200);
    const disabled = await expectOperational('webhook.disabled', id);
    expect(disabled.data).toMatchObject({ status: 'INACTIVE', trigger: 'manual', version: off.body.version });
    const on = await stack.api(`/v1/webhooks/${id}`, {
      method: 'PATCH',
      headers: asTenant(TENANT),
      body: { active: true },
    });
    expect(on.status).toBe(200);
    const enabled = await expectOperational('webhook.enabled', id);
    expect(enabled.data).toMatchObject({ previousStatus: 'INACTIVE', version: on.body.version });
  });

  it('delivery.dead_lettered when a delivery exhausts its retries', async () => {
    const id = await subject('dead', { retrySchedule: [0, 0] });
    const eventId = await publishOrder(5);
    const dead = await expectOperational('delivery.dead_lettered', id);
    expect(dead.data).toMatchObject({
      eventId,
      eventType: 'order.created',
      attempts: 3,
      lastOutcome: 'http_error',
      lastStatus: 500,
      url: `${subjects.url}/dead`,
    });
    expect(dead.data.deliveryId).toMatch(/^dlv_/);
  });

  it('logs them like any event, keeps them to their tenants, and never loops or leaks a secret', async () => {
    // In the tenant's event log, with the successful attempt to its operational webhook.
    const dead = received('/tenant').find(
      (e) => e.event === 'delivery.dead_lettered' && e.data.webhookId === ids.dead,
    )!;
    await eventually(
      async () => {
        const listed = await stack.api('/v1/messages?eventType=delivery.dead_lettered', { headers: asTenant(TENANT) });
        return listed.body.data?.some((m: any) => m.eventId === dead.eventId) || undefined;
      },
      30_000,
      'the operational event listed in the event log',
    );
    const message = await eventually(
      async () => {
        const r = await stack.api(`/v1/messages/${dead.eventId}`, { headers: asTenant(TENANT) });
        const delivery = r.body.deliveries?.find((d: any) => d.webhookId === ids['/tenant']);
        return delivery?.status === 'delivered' ? r.body : undefined;
      },
      30_000,
      'the operational event delivered in the event log',
    );
    expect(message).toMatchObject({ eventType: 'delivery.dead_lettered', tenantId: TENANT, source: 'herald' });

    // The always-failing operational webhook dead-lettered its deliveries, and no event says so.
    await eventually(
      async () => {
        const r = await stack.api(`/v1/attempts?webhookId=${ids.brokenOps}`, { headers: asTenant(TENANT) });
        return r.body.data?.some((a: any) => a.deadLettered) || undefined;
      },
      30_000,
      'a dead letter of the failing operational webhook',
    );
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const everything = [...received('/tenant'), ...received('/operator')];
    const about = new Set(everything.map((e) => e.data.webhookId));
    expect(about.has(ids.brokenOps)).toBe(false);
    expect(about.has(ids['/tenant'])).toBe(false);
    expect([...about].sort()).toEqual([ids.flaky, ids.gone, ids.manual, ids.dead].sort());
    expect(new Set(everything.map((e) => e.event))).toEqual(
      new Set([
        'webhook.failing',
        'webhook.recovered',
        'webhook.disabled',
        'webhook.enabled',
        'delivery.dead_lettered',
      ]),
    );

    // Another tenant's operational webhook hears nothing of these; a catch-all webhook gets no operational event.
    expect(received('/other')).toEqual([]);
    const toCatchAll = subjects.requests.filter((r) => r.path === '/all').map((r) => JSON.parse(r.body).event);
    expect(toCatchAll.length).toBeGreaterThan(0);
    expect(toCatchAll.every((type) => type === 'order.created')).toBe(true);

    // Neither the subjects' signing secrets nor anything else secret is in what was sent.
    const bodies = sink.requests.map((r) => r.body).join('\n');
    for (const secret of subjectSecrets) expect(bodies).not.toContain(secret);
    expect(bodies).not.toContain('whsec_');

    // Tenants cannot publish the reserved names.
    const forged = await stack.api('/v1/events', {
      method: 'POST',
      body: { eventType: 'webhook.recovered', tenantId: TENANT, data: {} },
    });
    expect(forged.status).toBe(400);
    expect(forged.body.error.message).toContain('eventType "webhook.recovered" is reserved');
  });
});
