import { MatchCheck, type CheckedView } from './match-check';

/** A view whose catch-ups (watermark requests) are counted and resolved by the test. */
class FakeView implements CheckedView {
  version = 0;
  sent = 0;
  failures = 0;
  private pending: (() => void)[] = [];

  catchUp(): Promise<void> {
    this.sent += 1;
    if (this.failures > 0) {
      this.failures -= 1;
      return Promise.reject(new Error('broker unavailable'));
    }
    return new Promise((resolve) => this.pending.push(resolve));
  }

  /** Answers every catch-up in flight. */
  answer(): void {
    for (const resolve of this.pending.splice(0)) resolve();
  }
}

const flush = () => new Promise((resolve) => setImmediate(resolve));
const options = { maxDelayMs: 500, maxWaiting: 3, retryMs: 20 };

describe('MatchCheck', () => {
  afterEach(() => jest.useRealTimers());

  it('covers every event matched within maxDelayMs with one catch-up, and tells whether the view moved', async () => {
    jest.useFakeTimers();
    const view = new FakeView();
    const check = new MatchCheck(view, options);
    const first = check.check(view.version);
    view.version += 1;
    const second = check.check(view.version);
    expect(view.sent).toBe(0);
    jest.advanceTimersByTime(500);
    expect(view.sent).toBe(1);
    view.answer();
    await expect(first).resolves.toBe(true);
    await expect(second).resolves.toBe(false);
    expect(view.sent).toBe(1);
  });

  it('sends at once, with no timer, when asked to or when maxWaiting events wait', async () => {
    const view = new FakeView();
    const check = new MatchCheck(view, options);
    const urgent = check.check(view.version, true);
    expect(view.sent).toBe(1);
    view.answer();
    await expect(urgent).resolves.toBe(false);
    const many = [check.check(0), check.check(0), check.check(0)];
    await flush();
    expect(view.sent).toBe(2);
    view.answer();
    await expect(Promise.all(many)).resolves.toEqual([false, false, false]);
    check.stop();
  });

  it('an event matched while a catch-up is in flight waits for the next one, sent after it', async () => {
    const view = new FakeView();
    const check = new MatchCheck(view, options);
    const early = check.check(0, true);
    const late = check.check(0, true);
    let lateDone = false;
    void late.then(() => (lateDone = true));
    expect(view.sent).toBe(1);
    view.version += 1;
    view.answer();
    await expect(early).resolves.toBe(true);
    await flush();
    expect(lateDone).toBe(false);
    expect(view.sent).toBe(2);
    view.answer();
    await expect(late).resolves.toBe(true);
  });

  it('a change in the view sends the check for the events waiting at once', async () => {
    jest.useFakeTimers();
    const view = new FakeView();
    const check = new MatchCheck(view, options);
    check.changed();
    expect(view.sent).toBe(0);
    const waiting = check.check(0);
    expect(view.sent).toBe(0);
    view.version += 1;
    check.changed();
    expect(view.sent).toBe(1);
    view.answer();
    await expect(waiting).resolves.toBe(true);
  });

  it('is dirty from a change until a catch-up finished after it', async () => {
    const view = new FakeView();
    const check = new MatchCheck(view, options);
    expect(check.dirty).toBe(false);
    view.version += 1;
    expect(check.dirty).toBe(true);
    const done = check.check(view.version, true);
    view.answer();
    await done;
    expect(check.dirty).toBe(false);
  });

  it('retries a failed catch-up; the events waiting resolve in call order', async () => {
    const view = new FakeView();
    const errors: unknown[] = [];
    const check = new MatchCheck(view, { ...options, onError: (error) => errors.push(error) });
    view.failures = 1;
    const order: number[] = [];
    const both = Promise.all([
      check.check(0, true).then(() => order.push(1)),
      check.check(0, true).then(() => order.push(2)),
    ]);
    const sent = async (n: number) => {
      for (let waited = 0; view.sent < n && waited < 10_000; waited += 10) await new Promise((r) => setTimeout(r, 10));
    };
    await sent(2);
    expect(errors).toHaveLength(1);
    view.answer();
    // The second was asked for while the first pass was out: it waits for a pass of its own.
    await sent(3);
    view.answer();
    await both;
    expect(order).toEqual([1, 2]);
    expect(view.sent).toBe(3);
  });

  it('rejects what still waits when stopped, so those events are read again', async () => {
    const view = new FakeView();
    const check = new MatchCheck(view, options);
    const waiting = check.check(0);
    check.stop();
    await expect(waiting).rejects.toThrow('match check stopped');
    await expect(check.check(0)).rejects.toThrow('match check stopped');
  });
});
