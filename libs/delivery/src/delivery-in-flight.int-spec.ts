import { Receiver, eventually } from '@herald/testing';
import { DelivererHarness } from './testing/deliverer-harness';

jest.setTimeout(120_000);

describe('a delivery read again while this deliverer still handles it', () => {
  let harness: DelivererHarness;
  let receiver: Receiver;

  afterAll(async () => {
    await harness?.stop();
    await receiver?.stop();
  });

  it('waits for the request in flight instead of sending a second one', async () => {
    harness = await DelivererHarness.start({
      DELIVERY_ALLOWED_CIDRS: '127.0.0.0/8',
      DELIVERY_TIMEOUT_MS: '30000',
      DELIVERY_ENDPOINT_CONCURRENCY: '10',
      DELIVERY_ENDPOINT_INITIAL_CONCURRENCY: '0',
      DELIVERY_ENDPOINT_RATE_PER_SECOND: '0',
    });
    // The first request is answered only once the copies were read; later ones at once.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    receiver = await new Receiver().start();
    receiver.reply = () => ({ status: 200, until: released });
    const webhook = await harness.upsertWebhook({ url: receiver.url });
    const [task] = await harness.deliver(webhook, 1);
    await eventually(async () => receiver.requests.length === 1, 60_000, 'the first request sent');

    // What a rewind re-reads: the same task on the deliveries topic, and a retry of it on a delay tier.
    await harness.publish([task]);
    await harness.publish([{ ...task, attempt: 2, trigger: 'retry' }], harness.topics.retry1s);
    const joined = async () =>
      Number(/herald_deliveries_joined_in_flight_total(?:\{[^}]*\})? (\d+)/.exec(await harness.metrics())?.[1] ?? 0);
    await eventually(async () => (await joined()) === 2, 60_000, 'both copies joined the request in flight');
    release();

    await eventually(
      async () => harness.attemptsOf(webhook.webhookId).some((a) => a.outcome === 'success'),
      60_000,
      'the delivery recorded',
    );
    // A later delivery of the same webhook goes through: the copies' offsets did not hold the partition.
    const [control] = await harness.deliver(webhook, 1);
    await eventually(
      async () => harness.attemptsOf(webhook.webhookId).some((a) => a.deliveryId === control.deliveryId),
      60_000,
      'a later delivery recorded',
    );
    const sentFirst = receiver.requests.filter((r) => r.body.includes(task.eventId));
    expect(sentFirst).toHaveLength(1);
    expect(harness.attemptsOf(webhook.webhookId).filter((a) => a.deliveryId === task.deliveryId)).toHaveLength(1);
  });
});
