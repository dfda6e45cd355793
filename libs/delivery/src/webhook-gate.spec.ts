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
    expect(g.tryAcquire('slow', { maxConcurrency: 3, rateLimitPerSecond: null }).admitted).toBe(true);
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
      if (d.admitted) d.release(false, true);
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
