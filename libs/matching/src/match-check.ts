/** What MatchCheck needs of the webhook view (a CompactedTopicView). */
export interface CheckedView {
  /** Resolves once everything written to the topic before the call has been applied. */
  catchUp(): Promise<void>;
  /** Grows with every change applied. */
  readonly version: number;
}

export interface MatchCheckOptions {
  /** How long a check waits for company: one watermark request covers every event matched meanwhile. */
  maxDelayMs: number;
  /** A check goes out at once when this many events wait for it. */
  maxWaiting: number;
  /** Wait before a failed catch-up is tried again. */
  retryMs: number;
  onError?: (error: unknown) => void;
}

export const MATCH_CHECK: MatchCheckOptions = { maxDelayMs: 500, maxWaiting: 100, retryMs: 1000 };

interface Waiter {
  version: number;
  resolve: (changed: boolean) => void;
  reject: (error: Error) => void;
}

/**
 * After an event is matched, a catch-up sent later (one ListOffsets for all events matched meanwhile)
 * tells whether the view moved since. One pass at a time; waiters resolve in call order.
 */
export class MatchCheck {
  private waiting: Waiter[] = [];
  private urgent = false;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private stopped = false;
  /** The view's version when the last pass finished. */
  private checkedVersion: number;

  constructor(
    private readonly view: CheckedView,
    private readonly options: MatchCheckOptions = MATCH_CHECK,
  ) {
    this.checkedVersion = view.version;
  }

  /** The view changed since the last pass: a match now could reach a new webhook before earlier events do. */
  get dirty(): boolean {
    return this.view.version !== this.checkedVersion;
  }

  /**
   * Resolves after a catch-up sent after this call: true if the view changed since `version`.
   * `now`: the pass goes out without waiting for company.
   */
  check(version: number, now = false): Promise<boolean> {
    if (this.stopped) return Promise.reject(new Error('match check stopped'));
    return new Promise((resolve, reject) => {
      this.waiting.push({ version, resolve, reject });
      if (now) this.urgent = true;
      this.schedule();
    });
  }

  /** The view applied a change: waiting events are checked now, so a late match sees about what a prompt one would. */
  changed(): void {
    if (this.waiting.length === 0) return;
    this.urgent = true;
    this.schedule();
  }

  /** Pending checks reject: their events are left uncommitted and read again. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.rejectAll(this.waiting.splice(0));
  }

  private rejectAll(waiters: Waiter[]): void {
    for (const waiter of waiters) waiter.reject(new Error('match check stopped'));
  }

  private schedule(): void {
    if (this.running || this.stopped || this.waiting.length === 0) return;
    if (this.urgent || this.waiting.length >= this.options.maxWaiting) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      void this.pass();
    } else {
      this.timer ??= setTimeout(() => {
        this.timer = null;
        void this.pass();
      }, this.options.maxDelayMs);
    }
  }

  private async pass(): Promise<void> {
    const waiters = this.waiting;
    this.waiting = [];
    this.urgent = false;
    this.running = true;
    try {
      for (;;) {
        try {
          await this.view.catchUp();
          break;
        } catch (error) {
          this.options.onError?.(error);
          if (this.stopped) return this.rejectAll(waiters);
          await new Promise((resolve) => setTimeout(resolve, this.options.retryMs));
        }
      }
      const version = this.view.version;
      this.checkedVersion = version;
      for (const waiter of waiters) waiter.resolve(waiter.version !== version);
    } finally {
      this.running = false;
      this.schedule();
    }
  }
}
