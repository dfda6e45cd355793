import { KeyRateLimiter } from './key-rate-limiter';

describe('KeyRateLimiter', () => {
  it('lets a burst through, then asks the key to wait, per key', () => {
    let now = 0;
    const limiter = new KeyRateLimiter({ perSecond: 2, burst: 3 }, () => now);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 0]);
    expect(limiter.take('a')).toBe(1);
    expect(limiter.take('b')).toBe(0);
    now = 500; // one token back at 2 per second
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBe(1);
  });

  it('says how many whole seconds until a token is back', () => {
    const now = 0;
    const limiter = new KeyRateLimiter({ perSecond: 0.25, burst: 1 }, () => now);
    expect(limiter.take('k')).toBe(0);
    expect(limiter.take('k')).toBe(4);
  });

  it('never refills past the burst', () => {
    let now = 0;
    const limiter = new KeyRateLimiter({ perSecond: 100, burst: 2 }, () => now);
    now = 60_000;
    expect([limiter.take('k'), limiter.take('k'), limiter.take('k')]).toEqual([0, 0, 1]);
  });
});
