import {
  resolveTopics,
  webhookSnapshotSchema,
  type AttemptRecord,
  type DeliveryTask,
  type Notification,
} from '@herald/contracts';
import type { OutgoingMessage } from '@herald/kafka';
import { generateSecret } from '@herald/signing';
import { DeliverAttemptUseCase } from './deliver-attempt.usecase';
import { NOT_BEFORE_HEADER, stepMessages } from './delivery-step-messages';
import { renderNotification } from './notification-mailer';
import { WebhookDirectory } from './webhook-directory';
import { WebhookGate } from './webhook-gate';
import type { HttpSender, SendResult } from '@herald/webhook-request';
import { RetrySchedule } from './retry-schedule';

const topics = resolveTopics('t.');
const ok: SendResult = {
  outcome: 'success',
  status: 200,
  headers: {},
  body: 'ok',
  bodyTruncated: false,
  error: null,
  durationMs: 3,
  retryAfterMs: null,
};
const failed: SendResult = { ...ok, outcome: 'http_error', status: 500, error: 'HTTP 500' };

function setup(
  results: SendResult[],
  options: { maxConcurrency?: number; autoDisableAfterMs?: number; post?: () => Promise<SendResult> } = {},
) {
  const directory = new WebhookDirectory();
  const secret = generateSecret();
  directory.apply(
    'wh_1',
    webhookSnapshotSchema.parse({
      webhookId: 'wh_1',
      tenantId: 't1',
      version: 4,
      status: 'ACTIVE',
      url: 'https://hooks.example.com/x',
      events: ['*'],
      secrets: [{ secret, expiresAt: null }],
      headers: { Authorization: 'Bearer receiver-token' },
      updatedAt: new Date().toISOString(),
      staticKey: 'static-1',
      retrySchedule: [1, 60],
      notificationEmail: 'ops@example.com',
    }),
  );
  const sent: Record<string, string>[] = [];
  const post = async (_url: string, headers: Record<string, string>) => {
    sent.push(headers);
    return options.post ? options.post() : (results.shift() ?? ok);
  };
  const sender = { post } as unknown as HttpSender;
  const published: { topic: string; messages: OutgoingMessage[] }[] = [];
  const deliverer = new DeliverAttemptUseCase({
    directory,
    gate: new WebhookGate(
      { failureThreshold: 100, openMs: 1000, maxConcurrency: options.maxConcurrency ?? 10, ratePerSecond: 0 },
      { breakerChanged: () => undefined, inFlightChanged: () => undefined },
    ),
    sender,
    schedule: new RetrySchedule({ scheduleSeconds: [5], jitter: 0, maxRetryAfterMs: 60_000 }),
    autoDisableAfterMs: options.autoDisableAfterMs ?? 86_400_000,
    catchUp: async () => undefined,
    metrics: {
      attempt: () => undefined,
      delivered: () => undefined,
      retryScheduled: () => undefined,
      deadLettered: () => undefined,
      deferred: () => undefined,
    },
  });
  // What the deliverer's consumer does with each step: publish its messages.
  const useCase = {
    execute: async (t: DeliveryTask) => void published.push(...stepMessages(await deliverer.execute(t), topics)),
  };
  const on = (topic: string) => published.filter((b) => b.topic === topic).flatMap((b) => b.messages);
  return { useCase, sent, on, secret, directory };
}

function task(attempt = 1, overrides: Partial<DeliveryTask> = {}): DeliveryTask {
  const now = new Date().toISOString();
  return {
    deliveryId: 'dlv_1',
    eventId: 'evt_1',
    webhookId: 'wh_1',
    tenantId: 't1',
    attempt,
    notBefore: Date.now(),
    event: {
      eventId: 'evt_1',
      eventType: 'agent.created',
      tenantId: 't1',
      occurredAt: now,
      receivedAt: now,
      source: 's',
      schemaVersion: 1,
      data: {},
    },
    trigger: 'event',
    replayOf: null,
    firstAttemptAt: null,
    ...overrides,
  };
}

describe('DeliverAttemptUseCase', () => {
  it('records a success with secrets redacted and nothing else', async () => {
    const { useCase, on, sent, secret } = setup([ok]);
    await useCase.execute(task());
    const [record] = on(topics.attempts).map((m) => m.value as AttemptRecord);
    expect(record).toMatchObject({ outcome: 'success', attempt: 1, nextAttemptAt: null });
    expect(sent[0]['x-key']).toBe('static-1');
    expect(record.request.headers['x-key']).toBe('[redacted]');
    // The body is the event's payload, stored with the event, not copied into the record.
    expect(record.request).not.toHaveProperty('body');
    expect(record.request.headers.Authorization).toBe('[redacted]');
    expect(JSON.stringify(record)).not.toContain(secret);
    expect(on(topics.retry1s).length + on(topics.deadLetters).length).toBe(0);
  });

  it('parks a failed attempt as the next one in the delay tier for the webhook schedule', async () => {
    const { useCase, on } = setup([failed, failed]);
    const before = Date.now();
    await useCase.execute(task());
    const [retry] = on(topics.retry1s);
    const next = retry.value as DeliveryTask;
    expect(next).toMatchObject({ attempt: 2, trigger: 'retry', deliveryId: 'dlv_1' });
    expect(next.notBefore).toBeGreaterThanOrEqual(before + 1000);
    expect(next.firstAttemptAt).not.toBeNull();
    expect(retry.headers?.[NOT_BEFORE_HEADER]).toBe(String(next.notBefore));
    const [record] = on(topics.attempts).map((m) => m.value as AttemptRecord);
    expect(record.nextAttemptAt).toBe(new Date(next.notBefore).toISOString());
    // The second delay of this webhook's schedule (60 s) waits in the 30 s tier.
    await useCase.execute(task(2));
    expect(on(topics.retry30s)).toHaveLength(1);
  });

  it('dead-letters after the last scheduled attempt and notifies the contact', async () => {
    const { useCase, on } = setup([failed]);
    await useCase.execute(task(3));
    expect(on(topics.deadLetters)[0].value).toMatchObject({ attempts: 3, lastOutcome: 'http_error' });
    const notification = on(topics.notifications)[0].value as Notification;
    expect(notification).toMatchObject({
      kind: 'delivery.dead_lettered',
      email: 'ops@example.com',
      delivery: { eventId: 'evt_1', attempts: 3, lastError: 'HTTP 500' },
    });
    // The notification carries data; the mailer writes the words.
    const mail = renderNotification(notification);
    expect(mail.subject).toBe('Herald: delivery of agent.created to "https://hooks.example.com/x" failed');
    expect(mail.text).toContain('Herald gave up delivering event evt_1 (agent.created)');
    expect(mail.text).toContain('Last outcome: http_error (HTTP 500)');
    expect((on(topics.attempts)[0].value as AttemptRecord).deadLettered).toBe(true);
  });

  it('puts a delivery back without an attempt when the endpoint is at its concurrency cap', async () => {
    let release!: () => void;
    const slow = () => new Promise<SendResult>((resolve) => (release = () => resolve(ok)));
    const { useCase, on, sent } = setup([], { maxConcurrency: 1, post: slow });
    const first = useCase.execute(task());
    await useCase.execute(task(1, { deliveryId: 'dlv_2' }));
    expect(sent).toHaveLength(1);
    const [parked] = on(topics.retry1s);
    expect(parked.value).toMatchObject({ deliveryId: 'dlv_2', attempt: 1 });
    expect(on(topics.attempts)).toHaveLength(0);
    release();
    await first;
    expect(on(topics.attempts)).toHaveLength(1);
  });

  it('asks once per webhook version to disable a webhook that keeps failing', async () => {
    const { useCase, on } = setup([failed, failed], { autoDisableAfterMs: 1000 });
    const longAgo = new Date(Date.now() - 5000).toISOString();
    await useCase.execute(task(1, { firstAttemptAt: longAgo }));
    await useCase.execute(task(1, { deliveryId: 'dlv_3', firstAttemptAt: longAgo }));
    const requests = on(topics.disableRequests);
    expect(requests).toHaveLength(1);
    expect(requests[0].value).toMatchObject({ webhookId: 'wh_1', version: 4 });
    const notification = on(topics.notifications)[0].value as Notification;
    expect(notification).toMatchObject({
      kind: 'webhook.disabled',
      reason: expect.stringMatching(/^deliveries have failed continuously since/),
    });
    expect(renderNotification(notification).text).toContain(`because ${notification.reason}.`);
  });

  it('records a cancelled attempt for a webhook that is not active', async () => {
    const { useCase, on, directory, sent } = setup([]);
    const snapshot = directory.get('wh_1')!.snapshot;
    directory.apply('wh_1', { ...snapshot, status: 'DISABLED' });
    await useCase.execute(task());
    expect(sent).toHaveLength(0);
    expect(on(topics.attempts)[0].value).toMatchObject({
      outcome: 'cancelled',
      error: 'not sent: webhook is DISABLED',
    });
  });
});
