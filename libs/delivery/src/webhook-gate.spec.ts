import { WebhookGate, type BreakerState } from './webhook-gate';

describe('WebhookGate', () => {
  let now = 1_000_000;
  const changes: BreakerState[] = [];
  const gate = () =>
    new WebhookGate(
      { failureThreshold: 3, openMs: 10_000, maxConcurrency: 2, ratePerSecond: 0 },
      { breakerChanged: (_id, s) => changes.push(s), inFlightChanged: () => undefined },
      () => now,
    );
  const limits = { maxConcurrency: null, rateLimitPerSecond: null };

  it('opens after repeated failures, lets one probe through half-open, closes on its success', () => {
    const g = gate();
    for (let i = 0; i < 3; i++) {
      const d = g.tryAcquire('wh', limits);
      if (!d.admitted) throw new Error('expected admission');
      d.release(false);
    }
    expect(g.breakerState('wh')).toBe('open');
    expect(g.tryAcquire('wh', limits)).toEqual({ admitted: false, reason: 'breaker_open', retryAt: now + 10_000 });
    now += 10_000;
    const probe = g.tryAcquire('wh', limits);
    expect(probe.admitted).toBe(true);
    expect(g.breakerState('wh')).toBe('half_open');
    expect(g.tryAcquire('wh', limits)).toMatchObject({ admitted: false, reason: 'breaker_open' });
    if (probe.admitted) probe.release(true);
    expect(g.breakerState('wh')).toBe('closed');
    expect(changes).toEqual(['open', 'half_open', 'closed']);
  });

  it('re-opens when the probe fails', () => {
    const g = gate();
    for (let i = 0; i < 3; i++) {
      const d = g.tryAcquire('a', limits);
      if (d.admitted) d.release(false);
    }
    now += 10_000;
    const probe = g.tryAcquire('a', limits);
    if (probe.admitted) probe.release(false);
    expect(g.breakerState('a')).toBe('open');
  });

  it('caps requests in flight per endpoint without affecting others', () => {
    const g = gate();
    const held = [g.tryAcquire('slow', limits), g.tryAcquire('slow', limits)];
    expect(held.every((d) => d.admitted)).toBe(true);
    expect(g.tryAcquire('slow', limits)).toMatchObject({ admitted: false, reason: 'concurrency' });
    // A webhook's own maximum bounds its adaptive limit at once.
    expect(g.tryAcquire('slow', { maxConcurrency: 1, rateLimitPerSecond: null })).toMatchObject({ admitted: false });
    expect(g.currentLimit('slow')).toBe(1);
    expect(g.tryAcquire('fast', limits).admitted).toBe(true);
  });

  it('gives a failing endpoint one request in flight until it succeeds, its excess back in a second', () => {
    const g = gate();
    const first = g.tryAcquire('bad', { maxConcurrency: 10, rateLimitPerSecond: null });
    if (first.admitted) first.release(false);
    const probe = g.tryAcquire('bad', { maxConcurrency: 10, rateLimitPerSecond: null });
    expect(probe.admitted).toBe(true);
    expect(g.tryAcquire('bad', { maxConcurrency: 10, rateLimitPerSecond: null })).toEqual({
      admitted: false,
      reason: 'concurrency',
      retryAt: now + 1000,
    });
    if (probe.admitted) probe.release(true);
    const again = [g.tryAcquire('bad', limits), g.tryAcquire('bad', limits)];
    expect(again.every((d) => d.admitted)).toBe(true);
  });

  it('opens the breaker sooner on timeouts than on quick failures', () => {
    const g = gate();
    for (let i = 0; i < 2; i++) {
      const d = g.tryAcquire('hangs', limits);
      if (d.admitted) d.release(false, { timedOut: true });
    }
    expect(g.breakerState('hangs')).toBe('open');
    const d = g.tryAcquire('fails', limits);
    if (d.admitted) d.release(false);
    const e = g.tryAcquire('fails', limits);
    if (e.admitted) e.release(false);
    expect(g.breakerState('fails')).toBe('closed');
  });

  it('rate-limits with a token bucket and says when the next token comes', () => {
    const g = gate();
    const rated = { maxConcurrency: 100, rateLimitPerSecond: 2 };
    for (const d of [g.tryAcquire('r', rated), g.tryAcquire('r', rated)]) if (d.admitted) d.release(true);
    expect(g.tryAcquire('r', rated)).toEqual({ admitted: false, reason: 'rate', retryAt: now + 500 });
    now += 500;
    expect(g.tryAcquire('r', rated).admitted).toBe(true);
  });

  it('tracks since when an endpoint fails, carried over restarts by a hint', () => {
    const g = gate();
    const d = g.tryAcquire('f', limits);
    if (d.admitted) d.release(false);
    expect(g.failingSince('f', null)).toBe(now);
    expect(g.failingSince('f', now - 5000)).toBe(now - 5000);
    const ok = g.tryAcquire('f', limits);
    if (ok.admitted) ok.release(true);
    expect(g.failingSince('f', now - 5000)).toBeNull();
  });
});

describe('WebhookGate: adaptive limit, Retry-After pause and in-memory queue', () => {
  let now = 5_000_000;
  let ownLagMs = 0;
  beforeEach(() => (ownLagMs = 0));
  const limitsSeen: number[] = [];
  const gate = (options: Partial<ConstructorParameters<typeof WebhookGate>[0]> = {}) =>
    new WebhookGate(
      {
        failureThreshold: 5,
        openMs: 10_000,
        maxConcurrency: 16,
        ratePerSecond: 0,
        initialConcurrency: 2,
        loopLagMs: () => ownLagMs,
        ...options,
      },
      {
        breakerChanged: () => undefined,
        inFlightChanged: () => undefined,
        limitChanged: (_id, n) => limitsSeen.push(n),
      },
      () => now,
    );
  const limits = { maxConcurrency: null, rateLimitPerSecond: null };
  const admit = (g: WebhookGate, id = 'w') => {
    const d = g.tryAcquire(id, limits);
    if (!d.admitted) throw new Error(`refused: ${d.reason}`);
    return d;
  };

  /** Fills the webhook up to its limit, then completes each with `answer(inFlightAtAdmission)`. */
  function round(g: WebhookGate, capacity: number): { ok: number; rejected: number } {
    const held: { d: ReturnType<typeof admit>; level: number }[] = [];
    for (;;) {
      const d = g.tryAcquire('w', limits);
      if (!d.admitted) break;
      held.push({ d, level: held.length + 1 });
    }
    let ok = 0;
    let rejected = 0;
    for (const { d, level } of held) {
      if (level > capacity) {
        rejected += 1;
        d.release(null, { congested: true, durationMs: 1 });
      } else {
        ok += 1;
        d.release(true, { durationMs: 50 });
      }
    }
    return { ok, rejected };
  }

  it('starts at the initial limit, grows while saturated and succeeding, never above the maximum', () => {
    const g = gate({ maxConcurrency: 6 });
    expect(admit(g)).toBeTruthy();
    expect(g.currentLimit('w')).toBe(2);
    for (let i = 0; i < 20; i++) round(g, 100);
    expect(g.currentLimit('w')).toBe(6);
    expect(limitsSeen).toContain(6);
  });

  it('against a receiver taking at most K at once: settles at K, few rejections, one cut per window', () => {
    const g = gate();
    const K = 4;
    let ok = 0;
    let rejected = 0;
    let beyond = 0;
    for (let i = 0; i < 400; i++) {
      const r = round(g, K);
      ok += r.ok;
      rejected += r.rejected;
      if (i > 20 && r.ok + r.rejected > K + 1) beyond += 1;
    }
    expect(beyond).toBe(0);
    expect(rejected / (ok + rejected)).toBeLessThan(0.05);
    // Nearly every round ran K at once: the throughput K allows.
    expect(ok / (400 * K)).toBeGreaterThan(0.9);
  });

  it('halves on a timeout and on a latency jump, once for requests admitted in the same window', () => {
    const g = gate({ initialConcurrency: 8 });
    const held = [admit(g), admit(g), admit(g)];
    held[0].release(false, { timedOut: true, durationMs: 5000 });
    expect(g.currentLimit('w')).toBe(4);
    held[1].release(false, { timedOut: true, durationMs: 5000 });
    expect(g.currentLimit('w')).toBe(4);
    held[2].release(true, { durationMs: 10 });
    for (let i = 0; i < 5; i++) admit(g).release(true, { durationMs: 10 });
    const before = g.currentLimit('w')!;
    admit(g).release(true, { durationMs: 400 });
    expect(g.currentLimit('w')).toBe(Math.max(1, Math.floor(before / 2)));
  });

  it("a slow response explained by the deliverer's own event-loop delay is not a latency jump", () => {
    const g = gate({ initialConcurrency: 8 });
    for (let i = 0; i < 5; i++) admit(g).release(true, { durationMs: 10 });
    ownLagMs = 380;
    admit(g).release(true, { durationMs: 400 });
    expect(g.currentLimit('w')).toBe(8);
    ownLagMs = 20;
    admit(g).release(true, { durationMs: 400 });
    expect(g.currentLimit('w')).toBe(4);
  });

  it('a Retry-After pauses the whole webhook until it expires; other webhooks are unaffected', () => {
    const g = gate();
    admit(g).release(null, { congested: true, retryAfterMs: 3000 });
    expect(g.tryAcquire('w', limits)).toEqual({ admitted: false, reason: 'paused', retryAt: now + 3000 });
    expect(g.tryAcquire('other', limits).admitted).toBe(true);
    now += 2999;
    expect(g.tryAcquire('w', limits)).toMatchObject({ admitted: false, reason: 'paused' });
    now += 1;
    expect(g.tryAcquire('w', limits).admitted).toBe(true);
  });

  it('a 429 does not count towards the breaker', () => {
    const g = gate({ failureThreshold: 2 });
    for (let i = 0; i < 5; i++) admit(g).release(null, { congested: true });
    expect(g.breakerState('w')).toBe('closed');
  });
});

describe('WebhookGate: in-memory queue', () => {
  const limits = { maxConcurrency: 1, rateLimitPerSecond: null };
  const gate = (queueLength = 2, queueWaitMs = 200) =>
    new WebhookGate(
      { failureThreshold: 5, openMs: 10_000, maxConcurrency: 1, ratePerSecond: 0, queueLength, queueWaitMs },
      { breakerChanged: () => undefined, inFlightChanged: () => undefined },
    );

  it('a delivery at the limit waits for the slot, in order; beyond the queue length it is refused', async () => {
    const g = gate();
    const first = g.acquire('q', limits);
    if (first instanceof Promise || !first.admitted) throw new Error('expected admission');
    const second = g.acquire('q', limits);
    const third = g.acquire('q', limits);
    expect(second).toBeInstanceOf(Promise);
    expect(third).toBeInstanceOf(Promise);
    expect(g.acquire('q', limits)).toMatchObject({ admitted: false, reason: 'concurrency' });
    first.release(true);
    const admitted = await second;
    expect(admitted.admitted).toBe(true);
    if (admitted.admitted) admitted.release(true);
    expect((await third).admitted).toBe(true);
  });

  it('gives up after the wait bound, and a failing webhook never queues', async () => {
    const g = gate(5, 50);
    const held = g.acquire('q', limits);
    if (held instanceof Promise || !held.admitted) throw new Error('expected admission');
    expect(await g.acquire('q', limits)).toMatchObject({ admitted: false, reason: 'concurrency' });
    held.release(false);
    const probe = g.acquire('q', limits);
    if (probe instanceof Promise || !probe.admitted) throw new Error('expected admission');
    expect(g.acquire('q', limits)).toMatchObject({ admitted: false, reason: 'concurrency' });
  });

  it('waiting deliveries are refused at once when a Retry-After pauses the webhook', async () => {
    const g = gate();
    const held = g.acquire('q', limits);
    if (held instanceof Promise || !held.admitted) throw new Error('expected admission');
    const waiting = g.acquire('q', limits);
    held.release(null, { congested: true, retryAfterMs: 10_000 });
    expect(await waiting).toMatchObject({ admitted: false, reason: 'paused' });
  });

  it('a delivery back from a delay tier waits ahead of fresh ones and beyond the fresh queue bound', async () => {
    const g = gate(2);
    const held = g.acquire('q', limits);
    if (held instanceof Promise || !held.admitted) throw new Error('expected admission');
    const order: string[] = [];
    const wait = (name: string, returning = false) => {
      const decision = g.acquire('q', limits, returning);
      if (!(decision instanceof Promise)) throw new Error(`${name} was not queued`);
      return decision.then((d) => {
        order.push(name);
        return d;
      });
    };
    const fresh = [wait('fresh-1'), wait('fresh-2')];
    // The fresh queue is full: another fresh delivery goes back to Kafka, a returning one still waits.
    expect(g.acquire('q', limits)).toMatchObject({ admitted: false, reason: 'concurrency' });
    const back = [wait('back-1', true), wait('back-2', true)];
    let release = held.release;
    for (const next of [back[0], back[1], fresh[0], fresh[1]]) {
      release(true);
      const d = await next;
      if (!d.admitted) throw new Error('expected admission');
      release = d.release;
    }
    release(true);
    expect(order).toEqual(['back-1', 'back-2', 'fresh-1', 'fresh-2']);
  });

  it('a delivery back from a delay tier waits longer than the fresh wait bound', async () => {
    const g = gate(2, 20);
    const held = g.acquire('q', limits);
    if (held instanceof Promise || !held.admitted) throw new Error('expected admission');
    const fresh = g.acquire('q', limits);
    const back = g.acquire('q', limits, true);
    expect(await fresh).toMatchObject({ admitted: false, reason: 'concurrency' });
    await new Promise((resolve) => setTimeout(resolve, 60));
    held.release(true);
    expect((await back).admitted).toBe(true);
  });
});
