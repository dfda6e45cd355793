import { Partitioners } from 'kafkajs';
import { newId, type DeliveryTask, type OrderedDelivery, type WebhookSnapshot } from '@herald/contracts';
import { Receiver, eventually, produceRaw } from '@herald/testing';
import { DelivererHarness } from './testing/deliverer-harness';

jest.setTimeout(240_000);

const PARTITIONS = 3;
const FAST_WEBHOOKS = 12;
const PER_FAST_WEBHOOK = 40;

/** The deliveries partition of a webhook, as the harness's producer (kafkajs's default partitioner) picks it. */
function partitionOf(webhookId: string): number {
  const partitionMetadata = Array.from({ length: PARTITIONS }, (_, partitionId) => ({
    partitionId,
    partitionErrorCode: 0,
    leader: 0,
    replicas: [0],
    isr: [0],
  }));
  const message = { key: webhookId, value: null };
  return Partitioners.DefaultPartitioner()({ topic: 'deliveries', partitionMetadata, message });
}

function eventIdOf(body: string): string {
  return (JSON.parse(body) as { eventId: string }).eventId;
}

describe('kill -9 of the deliverer with hundreds of deliveries in flight', () => {
  let harness: DelivererHarness;
  const receivers: Receiver[] = [];

  afterAll(async () => {
    await harness?.stop();
    await Promise.all(receivers.map((r) => r.stop()));
  });

  it('does not send again the deliveries whose success was on webhooks.attempts before the kill', async () => {
    harness = await DelivererHarness.start({
      DELIVERY_ALLOWED_CIDRS: '127.0.0.0/8',
      DELIVERY_TIMEOUT_MS: '60000',
      DELIVERY_ENDPOINT_CONCURRENCY: '30',
      DELIVERY_ENDPOINT_INITIAL_CONCURRENCY: '0',
      DELIVERY_ENDPOINT_RATE_PER_SECOND: '0',
      DELIVERY_ENDPOINT_QUEUE_LENGTH: '1000',
      DELIVERY_QUEUE_TOTAL: '5000',
      DELIVERY_ENDPOINT_QUEUE_WAIT_MS: '60000',
    });
    const start = async (reply: Receiver['reply']) => {
      const receiver = await new Receiver().start();
      receiver.reply = reply;
      receivers.push(receiver);
      return receiver;
    };
    // One held webhook per partition: its deliveries come first and hang, so no offset after them commits.
    let holding = true;
    const held: { receiver: Receiver; webhook: WebhookSnapshot }[] = [];
    for (let partition = 0; partition < PARTITIONS; partition++) {
      let webhookId = newId('wh');
      while (partitionOf(webhookId) !== partition) webhookId = newId('wh');
      const receiver = await start(() => (holding ? { hang: true } : { status: 200 }));
      held.push({ receiver, webhook: await harness.upsertWebhook({ webhookId, url: receiver.url }) });
    }
    const fast: { receiver: Receiver; webhook: WebhookSnapshot }[] = [];
    for (let i = 0; i < FAST_WEBHOOKS; i++) {
      // Answers 200, some at once and some slowly, so the kill finds requests at every stage.
      const receiver = await start(() => ({ status: 200, delayMs: i % 3 === 0 ? 0 : 300 + Math.random() * 1200 }));
      fast.push({ receiver, webhook: await harness.upsertWebhook({ url: receiver.url }) });
    }

    const heldTasks: DeliveryTask[] = [];
    for (const { webhook } of held) heldTasks.push(...(await harness.deliver(webhook, 2)));
    await eventually(async () => held.every((h) => h.receiver.requests.length === 2), 60_000, 'held deliveries sent');
    const fastTasks = fast.flatMap(({ webhook }) =>
      Array.from({ length: PER_FAST_WEBHOOK }, (_, index) => harness.task(webhook, { index })),
    );
    await harness.publish(fastTasks);

    // Kill once a third of them are recorded as delivered: the rest are being sent or wait their turn.
    const succeeded = () => new Set(harness.attempts.filter((a) => a.outcome === 'success').map((a) => a.deliveryId));
    await eventually(async () => succeeded().size >= fastTasks.length / 3, 120_000, 'a third delivered');
    await harness.deliverer.kill();
    const recordedBeforeKill = succeeded();
    const receivedBy = (receiver: Receiver) => receiver.requests.map((r) => eventIdOf(r.body));
    const sentBeforeKill = new Set(fast.flatMap(({ receiver }) => receivedBy(receiver)));
    expect(recordedBeforeKill.size).toBeGreaterThanOrEqual(fastTasks.length / 3);
    expect(recordedBeforeKill.size).toBeLessThanOrEqual(sentBeforeKill.size);

    // One recorded delivery as an ordered lane entry whose tombstone never landed: restored, then skipped.
    const unclosed = fastTasks.find((t) => recordedBeforeKill.has(t.deliveryId))!;
    const entry: OrderedDelivery = {
      task: { ...unclosed, event: { ...unclosed.event, orderingKey: 'k' } },
      partition: partitionOf(unclosed.webhookId),
      seq: 0,
      traceparent: null,
    };
    await produceRaw(harness.topics.orderedDeliveries, [{ key: unclosed.deliveryId, value: entry }]);

    holding = false;
    await harness.startDeliverer();
    const all = [...heldTasks, ...fastTasks];
    await eventually(
      async () => all.every((task) => succeeded().has(task.deliveryId)),
      180_000,
      'every delivery recorded as delivered after the restart',
    );

    // Every delivery arrived at its receiver.
    for (const { receiver, webhook } of [...held, ...fast]) {
      const expected = all.filter((t) => t.webhookId === webhook.webhookId).map((t) => t.eventId);
      expect(new Set(receivedBy(receiver))).toEqual(new Set(expected));
    }
    // The partitions were read again from before the held deliveries: those were in flight, so sent twice.
    for (const { receiver } of held) expect(receiver.requests.length).toBe(4);
    // ...and yet no delivery whose success was already recorded went out again.
    const sends = new Map<string, number>();
    for (const { receiver } of fast) for (const id of receivedBy(receiver)) sends.set(id, (sends.get(id) ?? 0) + 1);
    const recordedEvents = fastTasks.filter((t) => recordedBeforeKill.has(t.deliveryId)).map((t) => t.eventId);
    const resent = recordedEvents.filter((eventId) => sends.get(eventId)! > 1);
    expect({ recorded: recordedEvents.length, resent: resent.length }).toEqual({
      recorded: recordedBeforeKill.size,
      resent: 0,
    });
    const skippedBy = async (source: string) =>
      Number(
        new RegExp(`herald_deliveries_skipped_done_total\\{[^}]*source="${source}"[^}]*\\} (\\d+)`).exec(
          await harness.metrics(),
        )?.[1] ?? 0,
      );
    // What is sent twice had reached its receiver before the kill without its success being recorded.
    const twice = [...sends].filter(([, count]) => count > 1).map(([eventId]) => eventId);
    expect(twice.filter((eventId) => !sentBeforeKill.has(eventId))).toEqual([]);
    const skipped = await skippedBy('fresh');
    expect(skipped).toBeGreaterThanOrEqual(recordedBeforeKill.size);

    // A finished delivery read again later (a matcher's re-fan-out, a retry of it) is skipped too.
    const [again, retried] = fastTasks.filter((t) => recordedBeforeKill.has(t.deliveryId));
    const control = harness.task(fast.find((f) => f.webhook.webhookId === again.webhookId)!.webhook, { control: 1 });
    await harness.publish([{ ...retried, attempt: 2, trigger: 'retry' }], harness.topics.retry1s);
    await harness.publish([again, control]);
    await eventually(async () => (await skippedBy('retry')) >= 1, 60_000, 'the retry skipped');
    await eventually(async () => (await skippedBy('ordered')) >= 1, 60_000, 'the restored lane entry skipped');
    expect(await skippedBy('ordered')).toBe(1);
    await eventually(async () => succeeded().has(control.deliveryId), 60_000, 'the control delivered');
    await eventually(async () => (await skippedBy('fresh')) > skipped, 60_000, 'the re-fan-out skipped');
    const sentTo = (task: DeliveryTask) =>
      receivers.flatMap((r) => receivedBy(r)).filter((eventId) => eventId === task.eventId).length;
    expect([sentTo(again), sentTo(retried), sentTo(control)]).toEqual([1, 1, 1]);
  });
});
