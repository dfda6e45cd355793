import type { DeliveryTask, WebhookSnapshot } from '@herald/contracts';
import { Receiver, eventually } from '@herald/testing';
import { DelivererHarness } from './testing/deliverer-harness';

jest.setTimeout(420_000);

const WEBHOOKS = 4;
const KEYS_PER_WEBHOOK = 50;
const EVENTS_PER_KEY = 50;
const BLOCKED_KEY = 'key-0';
const BLOCK_MS = 4000;

const ENV = {
  DELIVERY_ALLOWED_CIDRS: '127.0.0.0/8',
  // Many short retries: a random failure is retried within a second and never dead-letters.
  DELIVERY_RETRY_SCHEDULE: '0.2,0.2,0.5,1,1,1,1,1,1,1,1,1,1',
  DELIVERY_TIMEOUT_MS: '500',
  DELIVERY_BREAKER_FAILURES: '1000',
  DELIVERY_ENDPOINT_CONCURRENCY: '60',
  DELIVERY_ENDPOINT_INITIAL_CONCURRENCY: '30',
  DELIVERY_ENDPOINT_RATE_PER_SECOND: '0',
};

interface Receipt {
  lane: string;
  index: number;
  eventId: string;
  ok: boolean;
  at: number;
}

/** A receiver that fails about 5.5% of requests and hangs about 0.5%, and fails the blocked lane for a while. */
function flakyReceiver(receipts: Receipt[], blockedUntil: () => number): Receiver {
  const receiver = new Receiver();
  receiver.reply = (request) => {
    const body = JSON.parse(request.body) as { eventId: string; data: { lane: string; key: string; index: number } };
    const { lane, key, index } = body.data;
    const roll = Math.random();
    const blocked = key === BLOCKED_KEY && Date.now() < blockedUntil();
    const ok = !blocked && roll >= 0.06;
    receipts.push({ lane, index, eventId: body.eventId, ok, at: Date.now() });
    if (!blocked && roll < 0.005) return { hang: true };
    return { status: ok ? 200 : 500 };
  };
  return receiver;
}

/**
 * Every request of a lane came after each earlier delivery of that lane succeeded or was
 * dead-lettered (its last request, for a dead-lettered one).
 */
function outOfOrder(receipts: Receipt[], deadLettered: ReadonlySet<string>): string[] {
  const lastOfDead = new Map<string, Receipt>();
  for (const r of receipts) if (deadLettered.has(r.eventId)) lastOfDead.set(r.eventId, r);
  const lanes = new Map<string, { next: number; done: Set<number> }>();
  const problems: string[] = [];
  for (const r of receipts) {
    let lane = lanes.get(r.lane);
    if (!lane) lanes.set(r.lane, (lane = { next: 0, done: new Set() }));
    // Everything below `next` is finished; a request for a later index before that is out of order.
    if (r.index > lane.next) problems.push(`${r.lane}: #${r.index} sent before #${lane.next} finished`);
    if (r.ok || lastOfDead.get(r.eventId) === r) {
      lane.done.add(r.index);
      while (lane.done.has(lane.next)) lane.next += 1;
    }
  }
  return problems;
}

describe('per-key ordering: 10,000 events over 200 keys to receivers that fail and hang at random', () => {
  let harness: DelivererHarness | undefined;
  const receivers: Receiver[] = [];

  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
    await Promise.all(receivers.splice(0).map((r) => r.stop()));
  });

  async function setUp(receipts: Receipt[], blockedUntil: () => number) {
    harness = await DelivererHarness.start(ENV);
    const webhooks: WebhookSnapshot[] = [];
    for (let w = 0; w < WEBHOOKS; w++) {
      const receiver = await flakyReceiver(receipts, blockedUntil).start();
      receivers.push(receiver);
      webhooks.push(await harness.upsertWebhook({ url: receiver.url, name: `ordered ${w}` }));
    }
    const tasks: DeliveryTask[] = [];
    // Interleaved as a live stream would be: event n of every lane, then event n + 1.
    for (let index = 0; index < EVENTS_PER_KEY; index++)
      for (const webhook of webhooks)
        for (let k = 0; k < KEYS_PER_WEBHOOK; k++) {
          const key = `key-${k}`;
          tasks.push(harness.task(webhook, { lane: `${webhook.webhookId}|${key}`, key, index }, key));
        }
    return { harness, tasks };
  }

  async function publish(h: DelivererHarness, tasks: DeliveryTask[]): Promise<void> {
    for (let i = 0; i < tasks.length; i += 500) await h.publish(tasks.slice(i, i + 500));
  }

  function succeeded(receipts: Receipt[]): Set<string> {
    return new Set(receipts.filter((r) => r.ok).map((r) => r.eventId));
  }

  function expectAllFinished(h: DelivererHarness, receipts: Receipt[], tasks: DeliveryTask[]): void {
    const finished = succeeded(receipts);
    for (const letter of h.deadLetters) finished.add(letter.task.eventId);
    expect(tasks.filter((t) => !finished.has(t.eventId))).toEqual([]);
  }

  it('delivers every key in order, nothing lost, and other keys flow while one key is blocked', async () => {
    const receipts: Receipt[] = [];
    let blockedUntil = 0;
    const { harness: h, tasks } = await setUp(receipts, () => blockedUntil);
    const started = Date.now();
    await publish(h, tasks);
    const others = () => receipts.filter((r) => r.ok && !r.lane.endsWith(`|${BLOCKED_KEY}`)).length;
    // Mid-run: other keys' successes while the blocked keys' heads keep failing, then in as long
    // a window right after they are let through.
    await eventually(async () => succeeded(receipts).size >= tasks.length / 5, 120_000, 'deliveries flowing');
    const blockStart = Date.now();
    blockedUntil = Number.MAX_SAFE_INTEGER;
    const beforeBlock = others();
    await new Promise((resolve) => setTimeout(resolve, BLOCK_MS));
    const duringBlock = others() - beforeBlock;
    const blockedSent = receipts.filter((r) => r.lane.endsWith(`|${BLOCKED_KEY}`) && r.at >= blockStart);
    blockedUntil = Date.now();
    const afterStart = others();
    await new Promise((resolve) => setTimeout(resolve, BLOCK_MS));
    const afterBlock = others() - afterStart;

    await eventually(
      async () => succeeded(receipts).size + h.deadLetters.length >= tasks.length,
      300_000,
      'every delivery finished',
    );
    const elapsed = Date.now() - started;
    expect(outOfOrder(receipts, new Set(h.deadLetters.map((l) => l.task.eventId)))).toEqual([]);
    expectAllFinished(h, receipts, tasks);
    // While blocked, each blocked lane sent only its head, again and again.
    expect(blockedSent.length).toBeGreaterThan(0);
    const heads = new Map<string, Set<number>>();
    for (const r of blockedSent) heads.set(r.lane, (heads.get(r.lane) ?? new Set()).add(r.index));
    expect([...heads.values()].filter((indexes) => indexes.size > 1)).toEqual([]);
    // About 1 when a blocked key holds back nothing else; near 0 if it held its partition.
    const ratio = duringBlock / Math.max(1, afterBlock);
    process.stdout.write(
      `ordering: ${tasks.length} deliveries in ${elapsed} ms; other keys' successes while blocked / after = ` +
        `${duringBlock} / ${afterBlock} = ${ratio.toFixed(2)}\n`,
    );
    expect(ratio).toBeGreaterThan(0.3);
  });

  it('keeps every key in order and loses nothing when the deliverer is killed with SIGKILL mid-run', async () => {
    const receipts: Receipt[] = [];
    const { harness: h, tasks } = await setUp(receipts, () => 0);
    await publish(h, tasks);
    await eventually(async () => succeeded(receipts).size >= tasks.length / 3, 120_000, 'a third delivered');
    await h.deliverer.kill();
    const atKill = succeeded(receipts).size;
    expect(atKill).toBeLessThan(tasks.length);
    await h.startDeliverer();
    await eventually(
      async () => succeeded(receipts).size + h.deadLetters.length >= tasks.length,
      300_000,
      'every delivery finished after the restart',
    );
    expect(outOfOrder(receipts, new Set(h.deadLetters.map((l) => l.task.eventId)))).toEqual([]);
    expectAllFinished(h, receipts, tasks);
  });
});
