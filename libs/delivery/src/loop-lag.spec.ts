import { LoopLag } from './loop-lag';

describe('LoopLag', () => {
  afterEach(() => jest.useRealTimers());

  it('reports a blocked event loop', async () => {
    const lag = new LoopLag();
    expect(lag.read()).toBe(0);
    await new Promise((r) => setTimeout(r, 30));
    const until = performance.now() + 150;
    while (performance.now() < until); // block the loop: the next sample comes late
    await new Promise((r) => setTimeout(r, 30));
    expect(lag.read()).toBeGreaterThanOrEqual(100);
    lag.stop();
  });

  it('stops sampling two seconds after the last read, and starts again on the next', () => {
    jest.useFakeTimers();
    const lag = new LoopLag(() => Date.now());
    const running = () => (lag as unknown as { timer: unknown }).timer !== null;
    lag.read();
    jest.advanceTimersByTime(1000);
    expect(running()).toBe(true);
    jest.advanceTimersByTime(1500);
    expect(running()).toBe(false);
    expect(jest.getTimerCount()).toBe(0);
    lag.read();
    expect(running()).toBe(true);
    lag.stop();
  });
});
