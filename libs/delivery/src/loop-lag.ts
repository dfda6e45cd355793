/** How often the sampler checks the event loop while requests are in flight (ms). */
const SAMPLE_MS = 20;
/** The sampler stops this long after the last read: an idle deliverer runs no timer. */
const IDLE_STOP_MS = 2000;
const WINDOW_MS = 1000;

/**
 * The deliverer's own event-loop delay lately (ms): the worst delay of the last and the current
 * 1 s windows. A saturated deliverer sees every response late; that lateness is not the receiver's.
 */
export class LoopLag {
  private timer: NodeJS.Timeout | null = null;
  private lastRead = 0;
  private windowStart = 0;
  private windowMax = 0;
  private previousMax = 0;

  constructor(private readonly now: () => number = () => performance.now()) {}

  read(): number {
    const now = this.now();
    this.lastRead = now;
    if (!this.timer) {
      this.windowStart = now;
      this.windowMax = 0;
      this.previousMax = 0;
      this.arm(now);
    }
    return Math.max(this.previousMax, this.windowMax);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private arm(from: number): void {
    this.timer = setTimeout(() => this.sample(from + SAMPLE_MS), SAMPLE_MS);
    this.timer.unref();
  }

  private sample(due: number): void {
    const now = this.now();
    if (now - this.windowStart >= WINDOW_MS) {
      this.previousMax = this.windowMax;
      this.windowMax = 0;
      this.windowStart = now;
    }
    this.windowMax = Math.max(this.windowMax, now - due);
    if (now - this.lastRead > IDLE_STOP_MS) {
      this.timer = null;
      return;
    }
    this.arm(now);
  }
}
