export type BreakerState = 'closed' | 'open' | 'half_open';

export interface EndpointGateOptions {
  /** Consecutive failed attempts that open the breaker. */
  failureThreshold: number;
  /** How long an open breaker refuses before letting one probe through (ms). */
  openMs: number;
  /** Default per-endpoint cap on requests in flight (a webhook's own value wins). */
  maxConcurrency: number;
  /** Default per-endpoint requests per second (a webhook's own value wins); 0 = unlimited. */
  ratePerSecond: number;
}

export interface EndpointLimits {
  maxConcurrency: number | null;
  rateLimitPerSecond: number | null;
}

export type GateDecision =
  /** `release(null)`: the attempt says nothing about the endpoint's health (e.g. refused by the SSRF guard). */
  | { admitted: true; release: (success: boolean | null) => void }
  | { admitted: false; reason: 'breaker_open' | 'concurrency' | 'rate'; retryAt: number };

interface EndpointState {
  breaker: BreakerState;
  consecutiveFailures: number;
  openedAt: number;
  probeInFlight: boolean;
  inFlight: number;
  tokens: number;
  tokensAt: number;
  /** Start of the current run of failures (null while the endpoint succeeds). */
  failingSince: number | null;
  /** Whether a success has been seen since this process started. */
  seenSuccess: boolean;
}

export interface GateObserver {
  breakerChanged(webhookId: string, state: BreakerState): void;
  inFlightChanged(webhookId: string, inFlight: number): void;
}

/**
 * Per-endpoint admission: a circuit breaker (closed → open after repeated failures → one
 * half-open probe → closed on success), a cap on requests in flight and a token-bucket rate
 * limit. It never waits: a refused delivery is told when to come back, so a slow or dead
 * endpoint holds no processing slot that other endpoints need.
 */
export class EndpointGate {
  private readonly states = new Map<string, EndpointState>();

  constructor(
    private readonly options: EndpointGateOptions,
    private readonly observer: GateObserver,
    private readonly now: () => number = Date.now,
  ) {}

  tryAcquire(webhookId: string, limits: EndpointLimits): GateDecision {
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
    const cap = limits.maxConcurrency ?? this.options.maxConcurrency;
    if (state.inFlight >= cap) return { admitted: false, reason: 'concurrency', retryAt: now + 200 };
    const rate = limits.rateLimitPerSecond ?? this.options.ratePerSecond;
    if (rate > 0) {
      state.tokens = Math.min(rate, state.tokens + ((now - state.tokensAt) / 1000) * rate);
      state.tokensAt = now;
      if (state.tokens < 1) return { admitted: false, reason: 'rate', retryAt: now + Math.ceil(((1 - state.tokens) / rate) * 1000) };
      state.tokens -= 1;
    }
    const probe = state.breaker === 'half_open';
    if (probe) state.probeInFlight = true;
    state.inFlight += 1;
    this.observer.inFlightChanged(webhookId, state.inFlight);
    let released = false;
    return {
      admitted: true,
      release: (success) => {
        if (released) return;
        released = true;
        state.inFlight -= 1;
        this.observer.inFlightChanged(webhookId, state.inFlight);
        if (probe) state.probeInFlight = false;
        if (success !== null) this.record(webhookId, state, success);
      },
    };
  }

  /**
   * Since when the endpoint has been failing without a success in between, or null. Before
   * this process has seen a success, `failingSinceHint` (the first attempt of a delivery that
   * is still failing) carries the run of failures across restarts.
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

  /** Forgets an endpoint (deleted, or re-enabled: it starts with a clean record). */
  reset(webhookId: string): void {
    const state = this.states.get(webhookId);
    if (!state || state.inFlight > 0) return;
    this.states.delete(webhookId);
    this.observer.breakerChanged(webhookId, 'closed');
  }

  private record(webhookId: string, state: EndpointState, success: boolean): void {
    const now = this.now();
    if (success) {
      state.consecutiveFailures = 0;
      state.failingSince = null;
      state.seenSuccess = true;
      if (state.breaker !== 'closed') this.setBreaker(webhookId, state, 'closed');
      return;
    }
    state.consecutiveFailures += 1;
    state.failingSince ??= now;
    if (state.breaker === 'half_open' || state.consecutiveFailures >= this.options.failureThreshold) {
      state.openedAt = now;
      if (state.breaker !== 'open') this.setBreaker(webhookId, state, 'open');
    }
  }

  private setBreaker(webhookId: string, state: EndpointState, breaker: BreakerState): void {
    state.breaker = breaker;
    this.observer.breakerChanged(webhookId, breaker);
  }

  private state(webhookId: string): EndpointState {
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
