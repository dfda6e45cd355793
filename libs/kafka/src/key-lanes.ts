const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Work per key in call order. A failed run is retried in place (200 ms doubling to 5 s), so later work of
 * its key never overtakes it (a produce failing during a broker restart must not let a later keyed event
 * through first); other keys are not held.
 */
export class KeyLanes {
  private readonly tails = new Map<string, Promise<void>>();
  private stopped = false;

  constructor(private readonly onRetry?: (error: unknown, key: string) => void) {}

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const mine = previous.then(() => this.untilDone(key, work));
    const tail = mine.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return mine;
  }

  /** Keys with work queued or running. */
  get size(): number {
    return this.tails.size;
  }

  /** Shutting down: a failing run gives up (its message is read again after the restart). */
  stop(): void {
    this.stopped = true;
  }

  private async untilDone<T>(key: string, work: () => Promise<T>): Promise<T> {
    for (let delay = 200; ; delay = Math.min(delay * 2, 5000)) {
      try {
        return await work();
      } catch (error) {
        if (this.stopped) throw error;
        this.onRetry?.(error, key);
        await sleep(delay);
      }
    }
  }
}
