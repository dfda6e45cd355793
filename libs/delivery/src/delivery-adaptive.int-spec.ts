import { Agent, request } from 'undici';
import { Receiver, eventually } from '@herald/testing';
import { DelivererHarness } from './testing/deliverer-harness';

jest.setTimeout(240_000);

/** The receiver takes at most K requests at once and answers 429 beyond. */
const K = 4;
const SERVICE_MS = 400;
const DELIVERIES = 200;
/** Left out of the throughput window: the limit finds K first. */
const WARM_UP_MS = 2000;
const WINDOW_MS = 8000;

/** A receiver that takes at most `capacity` requests at once; it counts arrivals in flight. */
function capacityReceiver(receiver: Receiver, capacity: number) {
  const stats = { active: 0, maxArrivals: [] as { at: number; inFlight: number }[], ok: [] as number[], rejected: 0 };
  receiver.reply = () => {
    const at = Date.now();
    stats.maxArrivals.push({ at, inFlight: stats.active + 1 });
    if (stats.active >= capacity) {
      stats.rejected += 1;
      return { status: 429, body: 'busy' };
    }
    stats.active += 1;
    // Registered before the receiver's own timer of the same delay: the slot frees before the answer leaves.
    setTimeout(() => {
      stats.active -= 1;
      stats.ok.push(Date.now());
    }, SERVICE_MS);
    return { status: 200, body: 'ok', delayMs: SERVICE_MS };
  };
  return stats;
}

/** What K concurrent requests get from the receiver: its rate with K plain clients (per second). */
async function referenceRate(url: string, durationMs: number): Promise<number> {
  const agent = new Agent({ connections: K });
  const until = Date.now() + durationMs;
  let done = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: K }, async () => {
      while (Date.now() < until) {
        const response = await request(url, { method: 'POST', body: '{}', dispatcher: agent });
        await response.body.text();
        if (response.statusCode === 200) done += 1;
      }
    }),
  );
  await agent.close();
  return done / ((Date.now() - started) / 1000);
}

describe('adaptive per-webhook concurrency against a receiver of fixed capacity', () => {
  let harness: DelivererHarness;
  const receivers: Receiver[] = [];

  async function receiver(): Promise<Receiver> {
    const r = await new Receiver().start();
    receivers.push(r);
    return r;
  }

  beforeAll(async () => {
    harness = await DelivererHarness.start({
      DELIVERY_ALLOWED_CIDRS: '127.0.0.0/8',
      DELIVERY_RETRY_SCHEDULE: '1,1,1,1,1,1,1,1',
      DELIVERY_RETRY_JITTER_PERCENT: '0',
      DELIVERY_ENDPOINT_RATE_PER_SECOND: '0',
      // A configured start just above K (the default starts at the maximum).
      DELIVERY_ENDPOINT_INITIAL_CONCURRENCY: '5',
    });
  }, 90_000);

  afterAll(async () => {
    await harness?.stop();
    await Promise.all(receivers.map((r) => r.stop()));
  });

  it('converges to at most K+1 in flight, under 5% answered 429, at least 90% of the throughput K allows', async () => {
    const r = await receiver();
    const stats = capacityReceiver(r, K);
    const before = await referenceRate(r.url, 4000);
    const reset = () => {
      stats.maxArrivals.length = 0;
      stats.ok.length = 0;
      stats.rejected = 0;
      return r.requests.length;
    };
    const requestsBefore = reset();

    // Its own maximum is well above K: only the adaptive limit can hold it to K.
    const webhook = await harness.upsertWebhook({ url: r.url, maxConcurrency: 16 });
    await harness.deliver(webhook, DELIVERIES);
    const succeeded = () => harness.attemptsOf(webhook.webhookId).filter((a) => a.outcome === 'success').length;
    await eventually(async () => succeeded() === DELIVERIES, 180_000, 'every delivery succeeded');

    const requests = r.requests.length - requestsBefore;
    const rejected = stats.rejected;
    const arrivals = [...stats.maxArrivals];
    const oks = [...stats.ok];
    // Measured before and after: the machine's load drifts during the run.
    const after = await referenceRate(r.url, 4000);
    const reference = (before + after) / 2;
    const first = arrivals[0].at;
    const settled = arrivals.filter((a) => a.at >= first + WARM_UP_MS);
    const peak = Math.max(...settled.map((a) => a.inFlight));
    const windowOk = oks.filter((t) => t >= first + WARM_UP_MS && t < first + WARM_UP_MS + WINDOW_MS).length;
    const rate = windowOk / (WINDOW_MS / 1000);
    const limitGauge = (await harness.metrics())
      .split('\n')
      .find((line) => line.startsWith(`herald_endpoint_concurrency_limit{webhook_id="${webhook.webhookId}"`));
    console.log(
      `adaptive: ${requests} requests, ${rejected} answered 429 (${((rejected / requests) * 100).toFixed(1)}%), ` +
        `peak ${peak} in flight after warm-up, ${rate.toFixed(1)}/s vs ${reference.toFixed(1)}/s with ${K} plain clients ` +
        `(ratio ${(rate / reference).toFixed(2)}); gauge: ${limitGauge}`,
    );
    expect(peak).toBeLessThanOrEqual(K + 1);
    expect(rejected / requests).toBeLessThan(0.05);
    // Deliveries were still waiting at the window's end, so the window measures the steady rate.
    expect(oks.filter((t) => t >= first + WARM_UP_MS + WINDOW_MS).length).toBeGreaterThan(0);
    expect(rate / reference).toBeGreaterThanOrEqual(0.9);
    expect(limitGauge).toMatch(/ [1-5]$/);
    // Nothing lost, nothing sent twice after success.
    expect(
      new Set(
        harness
          .attemptsOf(webhook.webhookId)
          .filter((a) => a.outcome === 'success')
          .map((a) => a.deliveryId),
      ).size,
    ).toBe(DELIVERIES);
  });

  it('Retry-After pauses the whole webhook until it expires; another webhook keeps getting its deliveries', async () => {
    const PAUSE_S = 8;
    const paused = await receiver();
    const other = await receiver();
    let first = true;
    paused.reply = () => {
      if (!first) return { status: 200, body: 'ok' };
      first = false;
      return { status: 429, body: 'slow down', headers: { 'retry-after': String(PAUSE_S) } };
    };
    const webhook = await harness.upsertWebhook({ url: paused.url });
    const otherWebhook = await harness.upsertWebhook({ url: other.url });
    await harness.deliver(webhook);
    await eventually(async () => paused.requests.length === 1, 30_000, 'the first request, answered 429');
    const pushedBackAt = paused.requests[0].receivedAt;
    await harness.deliver(webhook, 5);
    await harness.deliver(otherWebhook, 5);
    await eventually(async () => paused.requests.length === 7, 60_000, 'the paused webhook resumes');
    const resumed = paused.requests.slice(1).map((q) => q.receivedAt);
    expect(Math.min(...resumed)).toBeGreaterThanOrEqual(pushedBackAt + PAUSE_S * 1000);
    // The other webhook had all of its deliveries before the pause ended.
    expect(other.requests).toHaveLength(5);
    expect(Math.max(...other.requests.map((q) => q.receivedAt))).toBeLessThan(Math.min(...resumed));
    // Attempt records reach the collector after the requests: wait for them.
    await eventually(
      async () => harness.attemptsOf(webhook.webhookId).filter((a) => a.outcome === 'success').length === 6,
      30_000,
      'six successful attempts recorded',
    );
  });
});
