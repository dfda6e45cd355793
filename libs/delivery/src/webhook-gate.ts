export type BreakerState = 'closed' | 'open' | 'half_open';

export interface WebhookGateOptions {
  /** Consecutive failed attempts that open the breaker. */
  failureThreshold: number;
  /** How long an open breaker refuses before letting one probe through (ms). */
  openMs: number;
  /** Default per-webhook cap on requests in flight (a webhook's own value wins). */
  maxConcurrency: number;
  /** Default per-webhook requests per second (a webhook's own value wins); 0 = unlimited. */
  ratePerSecond: number;
}

export interface WebhookLimits {
  maxConcurrency: number | null;
  rateLimitPerSecond: number | null;
}

export type GateDecision =
  /**
   * `release(null)`: the attempt says nothing about the webhook's health (e.g. refused by the
   * SSRF guard); `timedOut`: it failed by holding its slot for the whole time budget.
   */
  | { admitted: true; release: (success: boolean | null, timedOut?: boolean) => void }
  | { admitted: false; reason: 'breaker_open' | 'concurrency' | 'rate'; retryAt: number };

interface WebhookState {
  breaker: BreakerState;
  consecutiveFailures: number;
  openedAt: number;
  probeInFlight: boolean;
  inFlight: number;
  tokens: number;
  tokensAt: number;
  /** Start of the current run of failures (null while the webhook succeeds). */
  failingSince: number | null;
  /** Whether a success has been seen since this process started. */
  seenSuccess: boolean;
}

export interface GateObserver {
  breakerChanged(webhookId: string, state: BreakerState): void;
  inFlightChanged(webhookId: string, inFlight: number): void;
}

/** In-flight cap of an webhook whose last attempt failed: its own slow lane until a success. */
const FAILING_CONCURRENCY = 1;
/** A failing webhook's refused deliveries come back after this long (ms), not at once. */
const FAILING_RETRY_MS = 1000;
/** A timeout counts as this many failures towards opening the breaker: it held a slot the longest. */
const TIMEOUT_WEIGHT = 2;

/**
 * Circuit breaker, in-flight cap and token bucket per webhook. It never waits: a refused delivery
 * is told when to come back, so a slow webhook holds no slot that others need.
 */
export class WebhookGate {
  private readonly states = new Map<string, WebhookState>();

  constructor(
    private readonly options: WebhookGateOptions,
    private readonly observer: GateObserver,
    private readonly now: () => number = Date.now,
  ) {}

  tryAcquire(webhookId: string, limits: WebhookLimits): GateDecision {
    const state = this.state(webhookId);
    const now = this.now();
    if (state.breaker === 'open') {
      const probeAt = state.openedAt + this.options.openMs;
      if (now < probeAt) return { admitted: false, reason: 'breaker_open', retryAt: probeAt };
      this.setBreaker(webhookId, state, 'half_open');
    }
    if (state.breaker === 'half_open' && state.probeInFlight) {
      return { admitted: false, reason: 'breaker_open', retryAt: now + Math.min(this.options.openMs, 1000) };
    }
    const failing = state.consecutiveFailures > 0;
    const cap = failing ? FAILING_CONCURRENCY : (limits.maxConcurrency ?? this.options.maxConcurrency);
    if (state.inFlight >= cap)
      return { admitted: false, reason: 'concurrency', retryAt: now + (failing ? FAILING_RETRY_MS : 200) };
    const rate = limits.rateLimitPerSecond ?? this.options.ratePerSecond;
    if (rate > 0) {
      state.tokens = Math.min(rate, state.tokens + ((now - state.tokensAt) / 1000) * rate);
      state.tokensAt = now;
      if (state.tokens < 1)
        return { admitted: false, reason: 'rate', retryAt: now + Math.ceil(((1 - state.tokens) / rate) * 1000) };
      state.tokens -= 1;
    }
    const probe = state.breaker === 'half_open';
    if (probe) state.probeInFlight = true;
    state.inFlight += 1;
    this.observer.inFlightChanged(webhookId, state.inFlight);
    let released = false;
    return {
      admitted: true,
      release: (success, timedOut = false) => {
        if (released) return;
        released = true;
        state.inFlight -= 1;
        this.observer.inFlightChanged(webhookId, state.inFlight);
        if (probe) state.probeInFlight = false;
        if (success !== null) this.record(webhookId, state, success, timedOut);
      },
    };
  }

  /**
   * Until this process has seen a success, `failingSinceHint` (first attempt of a delivery still
   * failing) carries the run of failures across restarts.
   */
  failingSince(webhookId: string, failingSinceHint: number | null): number | null {
    const state = this.state(webhookId);
    if (state.failingSince === null) return null;
    if (!state.seenSuccess && failingSinceHint !== null) return Math.min(state.failingSince, failingSinceHint);
    return state.failingSince;
  }

  breakerState(webhookId: string): BreakerState {
    return this.states.get(webhookId)?.breaker ?? 'closed';
  }

  /** Forgets an webhook (deleted, or re-enabled: it starts with a clean record). */
  reset(webhookId: string): void {
    const state = this.states.get(webhookId);
    if (!state || state.inFlight > 0) return;
    this.states.delete(webhookId);
    this.observer.breakerChanged(webhookId, 'closed');
  }

  private record(webhookId: string, state: WebhookState, success: boolean, timedOut: boolean): void {
    const now = this.now();
    if (success) {
      state.consecutiveFailures = 0;
      state.failingSince = null;
      state.seenSuccess = true;
      if (state.breaker !== 'closed') this.setBreaker(webhookId, state, 'closed');
      return;
    }
    state.consecutiveFailures += timedOut ? TIMEOUT_WEIGHT : 1;
    state.failingSince ??= now;
    if (state.breaker === 'half_open' || state.consecutiveFailures >= this.options.failureThreshold) {
      state.openedAt = now;
      if (state.breaker !== 'open') this.setBreaker(webhookId, state, 'open');
    }
  }

  private setBreaker(webhookId: string, state: WebhookState, breaker: BreakerState): void {
    state.breaker = breaker;
    this.observer.breakerChanged(webhookId, breaker);
  }

  private state(webhookId: string): WebhookState {
    let state = this.states.get(webhookId);
    if (!state) {
      state = {
        breaker: 'closed',
        consecutiveFailures: 0,
        openedAt: 0,
        probeInFlight: false,
        inFlight: 0,
        tokens: Number.POSITIVE_INFINITY,
        tokensAt: this.now(),
        failingSince: null,
        seenSuccess: false,
      };
      this.states.set(webhookId, state);
    }
    return state;
  }
}
