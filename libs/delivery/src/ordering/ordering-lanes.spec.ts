import type { DeliveryTask, OrderedDelivery } from '@herald/contracts';
import { OrderingLanes, type LaneOutcome } from './ordering-lanes';

let seq = 0;
function entry(webhookId: string, orderingKey: string | undefined, partition = 0): OrderedDelivery {
  seq += 1;
  const task: DeliveryTask = {
    deliveryId: `dlv_${seq}`,
    eventId: `evt_${seq}`,
    webhookId,
    tenantId: 't1',
    attempt: 1,
    notBefore: 0,
    event: {
      eventId: `evt_${seq}`,
      eventType: 'order.created',
      tenantId: 't1',
      occurredAt: new Date().toISOString(),
      receivedAt: new Date().toISOString(),
      source: 'test',
      schemaVersion: 1,
      data: {},
      ...(orderingKey === undefined ? {} : { orderingKey }),
    },
    trigger: 'event',
    replayOf: null,
    firstAttemptAt: null,
  };
  return { task, partition, seq, traceparent: null };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));
async function until(check: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await tick();
  }
}

/** A receiver the test drives: every run waits until the test answers it. */
function harness() {
  const runs: { entry: OrderedDelivery; answer: (outcome: LaneOutcome) => void; fail: (e: Error) => void }[] = [];
  const saved: OrderedDelivery[][] = [];
  const failures: string[] = [];
  const lanes = new OrderingLanes({
    save: async (entries) => {
      saved.push(entries);
    },
    run: (e) => new Promise<LaneOutcome>((answer, fail) => runs.push({ entry: e, answer, fail })),
    failed: (e) => failures.push(e.task.deliveryId),
    retryMs: 5,
  });
  const running = () => runs.map((r) => r.entry.task.deliveryId);
  return { lanes, runs, saved, failures, running };
}

describe('OrderingLanes', () => {
  it('sends one delivery of a key at a time, in seq order, the next only after the head is done', async () => {
    const { lanes, runs, running } = harness();
    const [a, b, c] = [entry('wh1', 'k'), entry('wh1', 'k'), entry('wh1', 'k')];
    await Promise.all([lanes.enqueue(a), lanes.enqueue(b), lanes.enqueue(c)]);
    expect(running()).toEqual([a.task.deliveryId]);
    runs[0].answer({ kind: 'done' });
    await until(() => runs.length === 2);
    expect(running()).toEqual([a.task.deliveryId, b.task.deliveryId]);
    runs[1].answer({ kind: 'done' });
    await until(() => runs.length === 3);
    expect(runs[2].entry.task.deliveryId).toBe(c.task.deliveryId);
  });

  it('a waiting head holds only its own key; other keys and webhooks keep flowing', async () => {
    const { lanes, runs, running } = harness();
    const held = entry('wh1', 'held');
    const behind = entry('wh1', 'held');
    const other = entry('wh1', 'other');
    const otherWebhook = entry('wh2', 'held');
    await Promise.all([held, behind, other, otherWebhook].map((e) => lanes.enqueue(e)));
    expect(running().sort()).toEqual([held, other, otherWebhook].map((e) => e.task.deliveryId).sort());
    runs
      .find((r) => r.entry === held)!
      .answer({ kind: 'wait', task: { ...held.task, attempt: 2, notBefore: Date.now() + 60_000 } });
    runs.find((r) => r.entry === other)!.answer({ kind: 'done' });
    await tick();
    await tick();
    expect(running()).not.toContain(behind.task.deliveryId);
    expect(lanes.size).toBe(3);
    lanes.close();
  });

  it('retries the head when it is due, then releases the followers in order', async () => {
    const { lanes, runs } = harness();
    const [a, b] = [entry('wh1', 'k'), entry('wh1', 'k')];
    await Promise.all([lanes.enqueue(a), lanes.enqueue(b)]);
    runs[0].answer({ kind: 'wait', task: { ...a.task, attempt: 2, notBefore: Date.now() + 30 } });
    await until(() => runs.length === 2);
    expect(runs[1].entry.task).toMatchObject({ deliveryId: a.task.deliveryId, attempt: 2 });
    runs[1].answer({ kind: 'done' });
    await until(() => runs.length === 3);
    expect(runs[2].entry.task.deliveryId).toBe(b.task.deliveryId);
  });

  it('a run that throws is tried again, still ahead of its followers', async () => {
    const { lanes, runs, failures } = harness();
    const [a, b] = [entry('wh1', 'k'), entry('wh1', 'k')];
    await Promise.all([lanes.enqueue(a), lanes.enqueue(b)]);
    runs[0].fail(new Error('kafka down'));
    await until(() => runs.length === 2);
    expect(failures).toEqual([a.task.deliveryId]);
    expect(runs[1].entry.task.deliveryId).toBe(a.task.deliveryId);
  });

  it('saves a burst in one write and joins a delivery read twice once', async () => {
    const { lanes, saved, runs } = harness();
    const [a, b] = [entry('wh1', 'k'), entry('wh1', 'k2')];
    await Promise.all([lanes.enqueue(a), lanes.enqueue(b), lanes.enqueue(a)]);
    expect(saved).toEqual([[a, b]]);
    runs.forEach((r) => r.answer({ kind: 'done' }));
    await until(() => lanes.size === 0);
    expect(runs).toHaveLength(2);
  });

  it('retries a failed save, and a later delivery of the key never overtakes it', async () => {
    const started: string[] = [];
    let failOnce = true;
    const lanes = new OrderingLanes({
      save: async () => {
        if (failOnce) {
          failOnce = false;
          throw new Error('broker restarting');
        }
      },
      run: async (e) => {
        started.push(e.task.deliveryId);
        return { kind: 'done' };
      },
      failed: () => undefined,
    });
    const [a, b] = [entry('wh1', 'k'), entry('wh1', 'k')];
    const first = lanes.enqueue(a);
    await tick();
    const second = lanes.enqueue(b);
    await Promise.all([first, second]);
    await until(() => started.length === 2);
    expect(started).toEqual([a.task.deliveryId, b.task.deliveryId]);
  });

  it('restores entries in seq order and keeps only the owned partitions', async () => {
    const { lanes, runs, running } = harness();
    const [a, b, c] = [entry('wh1', 'k', 1), entry('wh1', 'k', 1), entry('wh9', 'k', 2)];
    lanes.retain(new Set([1]));
    lanes.restore([b, c, a]);
    expect(running()).toEqual([a.task.deliveryId]);
    runs[0].answer({ kind: 'done' });
    await until(() => runs.length === 2);
    expect(runs[1].entry).toBe(b);
    lanes.retain(new Set([2]));
    runs[1].answer({ kind: 'done' });
    await tick();
    expect(lanes.size).toBe(0);
  });
});
