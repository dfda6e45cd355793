import Ajv2020 from 'ajv/dist/2020';
import {
  eventTypeMatches,
  operationalEventDataSchemas,
  type AttemptRecord,
  type DeadLetteredDelivery,
  type EventEnvelope,
  type OperationalEventType,
  type WebhookSnapshot,
  webhookPayloadFor,
} from '@herald/contracts';
import {
  DeliveryHealthEvents,
  OPERATIONAL_CATALOG,
  OPERATIONAL_WEBHOOK_DOCS,
  displayUrl,
  isOperationalWebhook,
  reservedEventTypeProblem,
  webhookStatusEvents,
  type WebhookFacts,
} from './index';

const hook = (patch: Partial<WebhookFacts> = {}): WebhookFacts => ({
  id: 'wh_1',
  tenantId: 'acme',
  name: 'Orders',
  url: 'https://user:pw@hooks.example.com/in?token=s3cret#x',
  events: ['order.created'],
  status: 'ACTIVE',
  disabledReason: null,
  version: 1,
  ...patch,
});

/** Every envelope's data must satisfy the contract (and so the catalog's JSON Schema). */
function checked(envelopes: EventEnvelope[]): EventEnvelope[] {
  for (const e of envelopes) operationalEventDataSchemas[e.eventType as OperationalEventType].parse(e.data);
  return envelopes;
}

describe('webhook status events (subscription-api)', () => {
  it('says webhook.disabled, manual, when the API deactivates an ACTIVE webhook', () => {
    const [event, ...rest] = checked(
      webhookStatusEvents(hook(), hook({ status: 'INACTIVE', version: 2 }), null, new Date('2026-12-03T10:00:00Z')),
    );
    expect(rest).toEqual([]);
    expect(event).toMatchObject({
      eventType: 'webhook.disabled',
      tenantId: 'acme',
      source: 'herald',
      occurredAt: '2026-12-03T10:00:00.000Z',
      data: {
        webhookId: 'wh_1',
        tenantId: 'acme',
        webhookName: 'Orders',
        url: 'https://hooks.example.com/in',
        status: 'INACTIVE',
        trigger: 'manual',
        version: 2,
        disabledAt: '2026-12-03T10:00:00.000Z',
      },
    });
    expect(JSON.stringify(event)).not.toMatch(/s3cret|pw@/);
  });

  it('says webhook.disabled, automatic with the reason, when Herald disables it, and a copy to the operator', () => {
    const events = checked(
      webhookStatusEvents(hook(), hook({ status: 'DISABLED', disabledReason: '410 Gone', version: 2 }), 'ops'),
    );
    expect(events.map((e) => e.tenantId)).toEqual(['acme', 'ops']);
    expect(events[0].data).toEqual(events[1].data);
    expect(events[0].data).toMatchObject({ trigger: 'automatic', reason: '410 Gone', tenantId: 'acme' });
    expect(new Set(events.map((e) => e.eventId)).size).toBe(2);
  });

  it('says webhook.enabled when it becomes ACTIVE again, with an id stable for that version', () => {
    const before = hook({ status: 'DISABLED', version: 3 });
    const [first] = checked(webhookStatusEvents(before, hook({ version: 4 }), null));
    const [again] = webhookStatusEvents(before, hook({ version: 4 }), null);
    expect(first).toMatchObject({ eventType: 'webhook.enabled', data: { previousStatus: 'DISABLED', version: 4 } });
    expect(again.eventId).toBe(first.eventId);
    expect(webhookStatusEvents(before, hook({ version: 5 }), null)[0].eventId).not.toBe(first.eventId);
  });

  it('says nothing for other changes, creation, deletion or an operational webhook', () => {
    expect(webhookStatusEvents(hook(), hook({ name: 'Renamed', version: 2 }), 'ops')).toEqual([]);
    expect(webhookStatusEvents(hook({ status: 'INACTIVE' }), hook({ status: 'DISABLED' }), 'ops')).toEqual([]);
    expect(webhookStatusEvents(null, hook(), 'ops')).toEqual([]);
    expect(webhookStatusEvents(hook(), null, 'ops')).toEqual([]);
    const ops = { events: ['webhook.*', 'delivery.dead_lettered'] };
    expect(webhookStatusEvents(hook(ops), hook({ ...ops, status: 'DISABLED' }), 'ops')).toEqual([]);
  });

  it('sends the operator one copy of its own webhooks', () => {
    expect(
      webhookStatusEvents(hook({ tenantId: 'ops' }), hook({ tenantId: 'ops', status: 'INACTIVE' }), 'ops'),
    ).toHaveLength(1);
  });
});

const snapshot = (patch: Partial<WebhookSnapshot> = {}): WebhookSnapshot =>
  ({
    webhookId: 'wh_1',
    tenantId: 'acme',
    version: 1,
    status: 'ACTIVE',
    url: 'https://hooks.example.com/in?sig=abc',
    events: ['order.*'],
    name: 'Orders',
    ...patch,
  }) as WebhookSnapshot;

const attempt = (patch: Partial<AttemptRecord> = {}): AttemptRecord =>
  ({
    attemptId: 'att_9',
    outcome: 'http_error',
    response: { status: 500, headers: {}, body: '', bodyTruncated: false },
    error: 'HTTP 500',
    ...patch,
  }) as AttemptRecord;

const letter = (eventType = 'order.created'): DeadLetteredDelivery =>
  ({
    task: { deliveryId: 'dlv_1', eventId: 'evt_1', webhookId: 'wh_1', event: { eventType } },
    lastAttemptId: 'att_9',
    lastOutcome: 'http_error',
    lastError: 'HTTP 500',
    attempts: 3,
    deadLetteredAt: '2026-12-03T10:00:05.000Z',
  }) as DeadLetteredDelivery;

describe('delivery health events (deliverer)', () => {
  let now: number;
  let webhooks: Map<string, WebhookSnapshot>;
  let events: DeliveryHealthEvents;
  const done = (a: AttemptRecord | null = attempt()) => ({ attempt: a, next: { kind: 'done' } });

  beforeEach(() => {
    now = Date.parse('2026-12-03T10:00:00Z');
    webhooks = new Map([['wh_1', snapshot()]]);
    events = new DeliveryHealthEvents({
      webhook: (id) => webhooks.get(id),
      failingSince: () => now - 4000,
      operatorTenant: 'ops',
      now: () => now,
    });
  });

  it('says webhook.failing once when the breaker opens, in the next step of that webhook only', () => {
    events.breakerChanged('wh_1', 'open');
    expect(events.eventsFor('wh_2', done())).toEqual([]);
    const failing = checked(events.eventsFor('wh_1', done()));
    expect(failing.map((e) => [e.eventType, e.tenantId])).toEqual([
      ['webhook.failing', 'acme'],
      ['webhook.failing', 'ops'],
    ]);
    expect(failing[0].data).toMatchObject({
      url: 'https://hooks.example.com/in',
      failingSince: '2026-12-03T09:59:56.000Z',
      breakerOpenedAt: '2026-12-03T10:00:00.000Z',
      lastAttempt: { attemptId: 'att_9', outcome: 'http_error', status: 500, error: 'HTTP 500' },
    });
    expect(events.eventsFor('wh_1', done())).toEqual([]);
    // Probes that fail again change nothing worth telling.
    events.breakerChanged('wh_1', 'half_open');
    events.breakerChanged('wh_1', 'open');
    expect(events.eventsFor('wh_1', done())).toEqual([]);
  });

  it('says webhook.recovered when the breaker closes, naming when it opened', () => {
    events.breakerChanged('wh_1', 'open');
    events.eventsFor('wh_1', done());
    now += 30_000;
    events.breakerChanged('wh_1', 'half_open');
    events.breakerChanged('wh_1', 'closed');
    const [recovered] = checked(events.eventsFor('wh_1', done(attempt({ outcome: 'success', error: null }))));
    expect(recovered).toMatchObject({
      eventType: 'webhook.recovered',
      data: { breakerOpenedAt: '2026-12-03T10:00:00.000Z', recoveredAt: '2026-12-03T10:00:30.000Z' },
    });
  });

  it('treats a reset (re-enabled or deleted webhook) as no recovery', () => {
    events.breakerChanged('wh_1', 'open');
    events.breakerChanged('wh_1', 'closed');
    events.forget('wh_1');
    expect(events.eventsFor('wh_1', done())).toEqual([]);
  });

  it('says delivery.dead_lettered with the delivery, counts and last outcome', () => {
    const [dead] = checked(
      events.eventsFor('wh_1', { attempt: attempt(), next: { kind: 'dead_letter', letter: letter() } }),
    );
    expect(dead).toMatchObject({
      eventType: 'delivery.dead_lettered',
      occurredAt: '2026-12-03T10:00:05.000Z',
      data: { deliveryId: 'dlv_1', eventId: 'evt_1', eventType: 'order.created', attempts: 3, lastStatus: 500 },
    });
  });

  it('guards against loops: nothing about operational webhooks or dead-lettered operational events', () => {
    expect(
      events.eventsFor('wh_1', {
        attempt: attempt(),
        next: { kind: 'dead_letter', letter: letter('webhook.failing') },
      }),
    ).toEqual([]);
    webhooks.set('wh_1', snapshot({ events: ['webhook.failing', 'webhook.recovered'] }));
    events.breakerChanged('wh_1', 'open');
    expect(events.eventsFor('wh_1', { attempt: attempt(), next: { kind: 'dead_letter', letter: letter() } })).toEqual(
      [],
    );
  });
});

describe('reserved names, matching and the catalog', () => {
  it('keeps operational types out of "*" but lets webhooks name them', () => {
    expect(eventTypeMatches('*', 'webhook.disabled')).toBe(false);
    expect(eventTypeMatches('*', 'order.created')).toBe(true);
    expect(eventTypeMatches('webhook.*', 'webhook.disabled')).toBe(true);
    expect(eventTypeMatches('delivery.dead_lettered', 'delivery.dead_lettered')).toBe(true);
    expect(isOperationalWebhook(['webhook.*'])).toBe(true);
    expect(isOperationalWebhook(['webhook.*', 'order.created'])).toBe(false);
    expect(isOperationalWebhook(['*'])).toBe(false);
  });

  it('names a reserved type', () => {
    expect(reservedEventTypeProblem('webhook.enabled')).toBe(
      'eventType "webhook.enabled" is reserved: Herald publishes it itself (operational webhooks)',
    );
    expect(reservedEventTypeProblem('webhook.created')).toBeNull();
  });

  it('drops credentials from URLs', () => {
    expect(displayUrl('https://a:b@x.example:8443/p/q?k=v#f')).toBe('https://x.example:8443/p/q');
    expect(displayUrl('not a url')).toBe('');
  });

  it('lists the five types with JSON Schemas that accept what Herald sends and refuse what it does not', () => {
    expect(OPERATIONAL_CATALOG.map((e) => e.name)).toEqual([
      'webhook.disabled',
      'webhook.enabled',
      'webhook.failing',
      'webhook.recovered',
      'delivery.dead_lettered',
    ]);
    const ajv = new Ajv2020({ strict: false });
    const disabled = ajv.compile(OPERATIONAL_CATALOG[0].schema);
    const [event] = webhookStatusEvents(hook(), hook({ status: 'INACTIVE' }), null);
    expect(disabled(event.data)).toBe(true);
    expect(disabled({ ...event.data, trigger: 'sometimes' })).toBe(false);
    expect(disabled({ ...event.data, secret: 'whsec_x' })).toBe(false);
  });

  it('documents (OpenAPI webhooks) exactly the body a receiver gets', () => {
    const [event] = webhookStatusEvents(hook(), hook({ status: 'INACTIVE' }), null);
    const doc = OPERATIONAL_WEBHOOK_DOCS.find((d) => d.name === 'webhook.disabled')!;
    expect(doc.payload.safeParse(webhookPayloadFor(event)).success).toBe(true);
    const other = OPERATIONAL_WEBHOOK_DOCS.find((d) => d.name === 'webhook.enabled')!;
    expect(other.payload.safeParse(webhookPayloadFor(event)).success).toBe(false);
  });
});
