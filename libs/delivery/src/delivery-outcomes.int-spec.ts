import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import type { AttemptRecord } from '@herald/contracts';
import { freePort } from '@herald/stack';
import { MailSink, Receiver, eventually, produceRaw, testKafka, verifyWithSeedVerifier } from '@herald/testing';
import { generateSigningKeyPair } from '@herald/signing';
import { DelivererHarness } from './testing/deliverer-harness';

jest.setTimeout(60_000);

describe('deliverer outcomes against real receivers on loopback', () => {
  let harness: DelivererHarness;
  const mailSink = new MailSink();
  const mails = mailSink.mails;
  const receivers: Receiver[] = [];

  /**
   * Checked by the deliverer's recorded times, which test-process load cannot skew; it may start
   * a due task up to DUE_TOLERANCE_MS (50 ms) early.
   */
  function expectRetriedAsScheduled([first, second]: AttemptRecord[], minDelayMs: number) {
    const due = Date.parse(first.nextAttemptAt!);
    expect(due - (Date.parse(first.startedAt) + first.durationMs)).toBeGreaterThanOrEqual(minDelayMs - 1);
    expect(Date.parse(second.startedAt)).toBeGreaterThanOrEqual(due - 50);
  }

  function attemptsOnce(webhookId: string, count: number, what: string) {
    return eventually(
      async () => harness.attemptsOf(webhookId).length >= count && harness.attemptsOf(webhookId),
      30_000,
      what,
    );
  }

  async function receiver(): Promise<Receiver> {
    const r = await new Receiver().start();
    receivers.push(r);
    return r;
  }

  beforeAll(async () => {
    await mailSink.start();
    harness = await DelivererHarness.start({
      DELIVERY_ALLOWED_CIDRS: '127.0.0.0/8,::1/128',
      DELIVERY_RETRY_SCHEDULE: '0.5,1',
      DELIVERY_RETRY_JITTER_PERCENT: '0',
      DELIVERY_BREAKER_FAILURES: '3',
      DELIVERY_BREAKER_OPEN_MS: '2000',
      SMTP_URL: mailSink.url,
      SMTP_FROM: 'Herald <herald@test.local>',
    });
  }, 90_000);

  afterAll(async () => {
    await harness?.stop();
    await Promise.all(receivers.map((r) => r.stop()));
    await mailSink.stop();
  });

  it('2xx: one signed attempt; v1 and v1a, the seed verifier and X-KEY all check out; X-KEY is redacted in the record', async () => {
    const r = await receiver();
    const keys = generateSigningKeyPair();
    const webhook = await harness.upsertWebhook({ url: `${r.url}/hook`, signingKey: keys, staticKey: 'static-key-1' });
    const [task] = await harness.deliver(webhook);
    const [attempt] = await attemptsOnce(webhook.webhookId, 1, 'attempt');
    expect(attempt).toMatchObject({
      outcome: 'success',
      attempt: 1,
      deliveryId: task.deliveryId,
      nextAttemptAt: null,
      deadLettered: false,
    });
    expect(attempt.response).toMatchObject({ status: 200, body: 'ok' });
    const request = r.requests[0];
    const headers = request.headers as Record<string, string>;
    const secret = webhook.secrets[0].secret;
    expect(new Webhook(secret).verify(request.body, headers)).toMatchObject({
      eventId: task.eventId,
      event: 'agent.created',
    });
    expect(headers['webhook-signature']).toMatch(/^v1,\S+ v1a,\S+$/);
    expect(headers['x-key']).toBe('static-key-1');
    expect(headers['user-agent']).toMatch(/^Herald\//);
    expect(
      verifyWithSeedVerifier([{ payload: request.body, signature: headers['x-webhook-signature'], secret }]),
    ).toEqual([true]);
    expect(attempt.request.headers['x-key']).toBe('[redacted]');
    expect(JSON.stringify(attempt)).not.toContain(secret);
  });

  it('500 then success on the retry, made after the scheduled delay', async () => {
    const r = await receiver();
    let calls = 0;
    r.reply = () => (++calls === 1 ? { status: 500, body: 'boom' } : { status: 200, body: 'ok' });
    const webhook = await harness.upsertWebhook({ url: r.url });
    await harness.deliver(webhook);
    const attempts = await attemptsOnce(webhook.webhookId, 2, 'retry');
    // No signing key in the snapshot (the webhook did not ask for asymmetric): v1 only, no ed25519.
    expect(r.requests[0].headers['webhook-signature']).toMatch(/^v1,\S+$/);
    expect(attempts.map((a) => [a.attempt, a.outcome, a.response?.status])).toEqual([
      [1, 'http_error', 500],
      [2, 'success', 200],
    ]);
    expect(attempts[0].nextAttemptAt).not.toBeNull();
    expectRetriedAsScheduled(attempts, 450);
    expect(r.requests[0].body).toBe(r.requests[1].body);
  });

  // The upper bound leaves room for a busy machine's late timers; a missing cut would hang.
  it('a receiver that never answers is cut at 5 s (outcome timeout)', async () => {
    const r = await receiver();
    r.reply = () => ({ hang: true });
    const webhook = await harness.upsertWebhook({ url: r.url, retrySchedule: [] });
    await harness.deliver(webhook);
    const [attempt] = await attemptsOnce(webhook.webhookId, 1, 'timeout');
    expect(attempt.outcome).toBe('timeout');
    expect(attempt.durationMs).toBeGreaterThanOrEqual(4800);
    expect(attempt.durationMs).toBeLessThanOrEqual(7000);
  });

  it("a webhook's own timeoutMs cuts a receiver slower than it but faster than the deployment's 5 s", async () => {
    const r = await receiver();
    r.reply = () => ({ status: 200, body: 'ok', delayMs: 2500 });
    const strict = await harness.upsertWebhook({ url: r.url, retrySchedule: [], timeoutMs: 1000 });
    const lenient = await harness.upsertWebhook({ url: r.url, retrySchedule: [] });
    await harness.deliver(strict);
    await harness.deliver(lenient);
    const [cut] = await attemptsOnce(strict.webhookId, 1, 'timeout at 1 s');
    expect(cut).toMatchObject({ outcome: 'timeout', error: 'no complete response within 1000 ms' });
    expect(cut.durationMs).toBeGreaterThanOrEqual(950);
    expect(cut.durationMs).toBeLessThan(2500);
    const [waited] = await attemptsOnce(lenient.webhookId, 1, 'success after 2.5 s');
    expect(waited.outcome).toBe('success');
  });

  it('connection refused is a network outcome', async () => {
    const port = await freePort();
    const webhook = await harness.upsertWebhook({ url: `http://127.0.0.1:${port}/`, retrySchedule: [] });
    await harness.deliver(webhook);
    const [attempt] = await attemptsOnce(webhook.webhookId, 1, 'refused');
    expect(attempt.outcome).toBe('network');
    expect(attempt.error).toContain('ECONNREFUSED');
  });

  it('410 Gone: no retry; the deliverer asks for the webhook to be disabled and notifies', async () => {
    const r = await receiver();
    r.reply = () => ({ status: 410, body: 'gone' });
    const webhook = await harness.upsertWebhook({ url: r.url, notificationEmail: 'ops-gone@example.com' });
    await harness.deliver(webhook);
    const request = await eventually(
      async () => harness.disableRequests.find((d) => d.webhookId === webhook.webhookId),
      30_000,
      'disable request',
    );
    expect(request).toMatchObject({ version: webhook.version, reason: 'the receiver answered 410 Gone' });
    const [attempt] = await attemptsOnce(webhook.webhookId, 1, 'gone attempt');
    expect(attempt).toMatchObject({ outcome: 'gone', nextAttemptAt: null });
    await eventually(async () => mails.find((m) => m.to === 'ops-gone@example.com'), 30_000, 'disable mail');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(r.requests).toHaveLength(1);
  });

  it('429 with Retry-After: the next attempt waits as asked', async () => {
    const r = await receiver();
    let calls = 0;
    r.reply = () => (++calls === 1 ? { status: 429, headers: { 'retry-after': '3' } } : { status: 204 });
    const webhook = await harness.upsertWebhook({ url: r.url });
    await harness.deliver(webhook);
    await eventually(
      async () => harness.attemptsOf(webhook.webhookId).some((a) => a.outcome === 'success'),
      30_000,
      'success after 429',
    );
    expectRetriedAsScheduled(harness.attemptsOf(webhook.webhookId), 3000);
  });

  it('a redirect is not followed', async () => {
    const target = await receiver();
    const r = await receiver();
    r.reply = () => ({ status: 302, headers: { location: `${target.url}/elsewhere` } });
    const webhook = await harness.upsertWebhook({ url: r.url, retrySchedule: [] });
    await harness.deliver(webhook);
    const [attempt] = await attemptsOnce(webhook.webhookId, 1, 'redirect');
    expect(attempt).toMatchObject({ outcome: 'http_error', error: 'HTTP 302' });
    expect(attempt.response?.headers.location).toBe(`${target.url}/elsewhere`);
    expect(target.requests).toHaveLength(0);
  });

  it('a 10 MB response body is read only up to 64 KiB and stored cut', async () => {
    const r = await receiver();
    r.reply = () => ({ status: 200, body: 'x'.repeat(10 * 1024 * 1024) });
    const webhook = await harness.upsertWebhook({ url: r.url });
    await harness.deliver(webhook);
    const [attempt] = await attemptsOnce(webhook.webhookId, 1, 'big body');
    expect(attempt.outcome).toBe('success');
    expect(attempt.response?.body).toHaveLength(65536);
    expect(attempt.response?.bodyTruncated).toBe(true);
  });

  it('TLS certificates are verified: a self-signed receiver fails with a network outcome', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'herald-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    let hits = 0;
    const server: HttpsServer = createHttpsServer(
      { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
      (_q, s) => {
        hits += 1;
        s.end('ok');
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const webhook = await harness.upsertWebhook({
        url: `https://127.0.0.1:${(server.address() as AddressInfo).port}/`,
        retrySchedule: [],
      });
      await harness.deliver(webhook);
      const [attempt] = await attemptsOnce(webhook.webhookId, 1, 'tls');
      expect(attempt.outcome).toBe('network');
      expect(attempt.error).toMatch(/SELF_SIGNED|self.signed/i);
      expect(hits).toBe(0);
    } finally {
      server.close();
    }
  });

  it('exhausting the schedule dead-letters the delivery, records it and mails the technical contact', async () => {
    const r = await receiver();
    r.reply = () => ({ status: 503, body: 'down' });
    const webhook = await harness.upsertWebhook({
      url: r.url,
      name: 'Billing sync',
      notificationEmail: 'ops-dead@example.com',
      technicalContactId: 'user-7',
    });
    const [task] = await harness.deliver(webhook);
    const letter = await eventually(
      async () => harness.deadLetters.find((d) => d.task.deliveryId === task.deliveryId),
      30_000,
      'dead letter',
    );
    expect(letter).toMatchObject({ attempts: 3, lastOutcome: 'http_error', lastError: 'HTTP 503' });
    // Published together with the dead letter, but read from another topic: it may arrive just after.
    const attempts = await attemptsOnce(webhook.webhookId, 3, 'three attempts');
    expect(attempts.map((a) => [a.attempt, a.deadLettered])).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);
    const notification = await eventually(
      async () =>
        harness.notifications.find((n) => n.kind === 'delivery.dead_lettered' && n.webhookId === webhook.webhookId),
      30_000,
      'dead-letter notification',
    );
    expect(notification).toMatchObject({ email: 'ops-dead@example.com', technicalContactId: 'user-7' });
    const mail = await eventually(
      async () => mails.find((m) => m.to === 'ops-dead@example.com'),
      30_000,
      'dead-letter mail',
    );
    expect(mail.raw).toContain('Billing sync');
    expect(mail.raw).toContain(task.eventId);
    expect(mail.raw).not.toContain(webhook.secrets[0].secret);
  });

  it('the breaker opens after repeated failures (no requests while open) and closes after a successful probe', async () => {
    const r = await receiver();
    let healthy = false;
    r.reply = () => (healthy ? { status: 200 } : { status: 500 });
    const webhook = await harness.upsertWebhook({
      url: r.url,
      retrySchedule: [0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2],
    });
    const gauge = async () => {
      const line = (await harness.metrics())
        .split('\n')
        .find((l) => l.startsWith('herald_endpoint_breaker_state{') && l.includes(`webhook_id="${webhook.webhookId}"`));
      return line ? Number(line.split(' ').pop()) : null;
    };
    await harness.deliver(webhook, 2);
    await eventually(async () => (await gauge()) === 2, 30_000, 'breaker open');
    const seenWhenOpened = r.requests.length;
    expect(seenWhenOpened).toBeGreaterThanOrEqual(3);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(r.requests.length).toBe(seenWhenOpened);
    healthy = true;
    await eventually(async () => (await gauge()) === 0, 30_000, 'breaker closed');
    await eventually(
      async () =>
        new Set(
          harness
            .attemptsOf(webhook.webhookId)
            .filter((a) => a.outcome === 'success')
            .map((a) => a.deliveryId),
        ).size === 2,
      30_000,
      'both delivered after the breaker closed',
    );
    expect(await harness.metrics()).toMatch(/herald_delivery_deferred_total\{[^}]*reason="breaker_open"[^}]*\} [1-9]/);
  });

  it('dead-letters a notification that is not JSON instead of retrying it forever (its offset is committed)', async () => {
    const topic = harness.topics.notifications;
    await produceRaw(topic, [{ key: 'wh_unreadable', value: 'not json {' }]);
    const admin = testKafka().admin();
    await admin.connect();
    try {
      const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, p.high]));
      await eventually(
        async () => {
          const [committed] = await admin.fetchOffsets({
            groupId: `${harness.prefix}herald-deliverer-mailer`,
            topics: [topic],
          });
          return committed.partitions.every((p) => p.offset === ends.get(p.partition) || ends.get(p.partition) === '0');
        },
        30_000,
        'the mailer committed past the unreadable notification',
      );
    } finally {
      await admin.disconnect();
    }
  });

  it('exposes attempts by outcome, durations, lag, retries, dead letters, breaker state and in-flight per endpoint', async () => {
    const text = await harness.metrics();
    for (const pattern of [
      /herald_delivery_attempts_total\{[^}]*outcome="success"[^}]*\} [1-9]/,
      /herald_delivery_attempts_total\{[^}]*outcome="timeout"[^}]*\} [1-9]/,
      /herald_delivery_attempt_duration_seconds_count\{[^}]*outcome="http_error"[^}]*\} [1-9]/,
      /herald_delivery_lag_seconds_count\{[^}]*\} [1-9]/,
      /herald_delivery_retries_scheduled_total\{[^}]*\} [1-9]/,
      /herald_delivery_dead_letters_total\{[^}]*\} [1-9]/,
      /herald_endpoint_breaker_state\{[^}]*webhook_id="wh_[0-9a-f]+"[^}]*\} [0-2]/,
      /herald_endpoint_in_flight\{[^}]*webhook_id="wh_[0-9a-f]+"[^}]*\} 0/,
    ]) {
      expect(text).toMatch(pattern);
    }
  });
});
