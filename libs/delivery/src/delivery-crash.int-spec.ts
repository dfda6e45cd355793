import { Receiver, eventually } from '@herald/testing';
import { DelivererHarness } from './testing/deliverer-harness';

jest.setTimeout(180_000);

describe('kill -9 of the deliverer with retries pending', () => {
  let harness: DelivererHarness;
  const receivers: Receiver[] = [];

  afterAll(async () => {
    await harness?.stop();
    await Promise.all(receivers.map((r) => r.stop()));
  });

  it('loses no delivery: after a restart every one completes', async () => {
    harness = await DelivererHarness.start({
      DELIVERY_ALLOWED_CIDRS: '127.0.0.0/8',
      DELIVERY_RETRY_SCHEDULE: '2,2,2,2',
      DELIVERY_BREAKER_FAILURES: '1000',
    });
    // Each receiver fails the first request for an event and accepts the next ones.
    const delivered = new Set<string>();
    const seen = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const r = await new Receiver().start();
      r.reply = (request) => {
        const eventId = JSON.parse(request.body).eventId as string;
        if (!seen.has(eventId)) {
          seen.add(eventId);
          return { status: 500 };
        }
        delivered.add(eventId);
        return { status: 200 };
      };
      receivers.push(r);
    }
    const webhooks = await Promise.all(receivers.map((r) => harness.upsertWebhook({ url: r.url })));
    const produced: string[] = [];
    for (const webhook of webhooks) produced.push(...(await harness.deliver(webhook, 10)).map((t) => t.eventId));

    // Kill once first attempts have failed (retries are parked) and before any retry is due.
    await eventually(async () => seen.size >= 20, 60_000, 'first attempts failing');
    expect(delivered.size).toBe(0);
    await harness.deliverer.kill();
    const pendingAtKill = produced.length - delivered.size;
    expect(pendingAtKill).toBe(40);

    await harness.startDeliverer();
    await eventually(async () => delivered.size === produced.length, 120_000, 'every delivery completed after restart');
    expect([...delivered].sort()).toEqual([...produced].sort());
  });
});
