import { LoopLag } from './loop-lag';

export type BreakerState = 'closed' | 'open' | 'half_open';

export interface WebhookGateOptions {
  /** Consecutive failed attempts that open the breaker. */
  failureThreshold: number;
  /** How long an open breaker refuses before letting one probe through (ms). */
  openMs: number;
  /** Default per-webhook maximum of requests in flight (a webhook's own value wins). */
  maxConcurrency: number;
  /** Default per-webhook requests per second (a webhook's own value wins); 0 = unlimited. */
  ratePerSecond: number;
  /** The adaptive limit a webhook starts at (never above its maximum); default: the maximum. */
  initialConcurrency?: number;
  /** Longest a delivery waits in memory for its webhook's slot or token before going back to Kafka (ms). */
  queueWaitMs?: number;
  /** Deliveries waiting in memory per webhook at most; more go back to Kafka. */
  queueLength?: number;
  /** Deliveries waiting in memory in all at most (they hold their partitions' uncommitted window). */
  queueTotal?: number;
  /** Longest `Retry-After` pause honoured (ms). */
  maxPauseMs?: number;
  /** This process's own recent event-loop delay (ms), left out of latency jumps; default: sampled. */
  loopLagMs?: () => number;
}

export interface WebhookLimits {
  maxConcurrency: number | null;
  rateLimitPerSecond: number | null;
}

/** What an attempt tells the gate besides success or failure. */
export interface ReleaseDetail {
  /** Failed by holding its slot for the whole time budget. */
  timedOut?: boolean;
  /** The receiver said it is overloaded (429 or 503). */
  congested?: boolean;
  durationMs?: number;
  /** `Retry-After` of a 429/503 (ms): the whole webhook pauses that long. */
  retryAfterMs?: number | null;
}

export type GateRefusal = 'breaker_open' | 'concurrency' | 'rate' | 'paused';

export type GateDecision =
  /** `release(null)`: the attempt says nothing about the webhook's health (e.g. refused by the SSRF guard, 429). */
  | { admitted: true; release: (success: boolean | null, detail?: ReleaseDetail) => void }
  | { admitted: false; reason: GateRefusal; retryAt: number };

interface Waiter {
  limits: WebhookLimits;
  /** Back from a delay tier: waits ahead of fresh deliveries. */
  returning: boolean;
  deadline: number;
  timer: NodeJS.Timeout;
  resolve: (decision: GateDecision) => void;
}

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
  /** Adaptive cap on requests in flight (fractional between whole steps); NaN until first used. */
  limit: number;
  /** Most requests in flight known to succeed since the receiver last pushed back; null: never pushed back. */
  safeLimit: number | null;
  /** Bumped at each cut: signals from requests admitted before it belong to the window already cut. */
  epoch: number;
  /** Moving average of successful requests' durations (ms). */
  latencyMs: number | null;
  /** `Retry-After`: nothing is sent before this (epoch ms). */
  pausedUntil: number;
  waiters: Waiter[];
  wakeTimer: NodeJS.Timeout | null;
}

export interface GateObserver {
  breakerChanged(webhookId: string, state: BreakerState): void;
  inFlightChanged(webhookId: string, inFlight: number): void;
  limitChanged?(webhookId: string, limit: number): void;
}

/** In-flight cap of an webhook whose last attempt failed: its own slow lane until a success. */
const FAILING_CONCURRENCY = 1;
/** A failing webhook's refused deliveries come back after this long (ms), not at once. */
const FAILING_RETRY_MS = 1000;
/** A timeout counts as this many failures towards opening the breaker: it held a slot the longest. */
const TIMEOUT_WEIGHT = 2;
/** Above the level known to hold, the limit grows by one per this many windows of successes. */
const PROBE_WINDOWS = 20;
/** A success this many times slower than the average (and by LATENCY_JUMP_MIN_MS) is a latency jump. */
const LATENCY_JUMP_FACTOR = 3;
const LATENCY_JUMP_MIN_MS = 100;
const LATENCY_ALPHA = 0.1;
/** The longest a healthy webhook's refused delivery is told to stay away (ms). */
const MAX_BACKLOG_WAIT_MS = 5000;
/**
 * A delivery back from a delay tier waits in memory ahead of fresh ones, this many times the queue
 * bounds and this long: refused again, it went round Kafka once per refusal and newer deliveries
 * kept overtaking it (a 3-broker chaos run parked one delivery 40 times in 10 minutes).
 */
const RETURNING_QUEUE_FACTOR = 10;
const RETURNING_WAIT_MS = 30_000;

/**
 * Circuit breaker, adaptive in-flight limit (AIMD), token bucket and `Retry-After` pause per
 * webhook. `acquire` may queue a healthy webhook's delivery in memory briefly (bounded in count and
 * time); a failing or paused webhook's is refused at once with when to come back.
 */
export class WebhookGate {
  private readonly states = new Map<string, WebhookState>();
  private readonly queueWaitMs: number;
  private readonly queueLength: number;
  private readonly queueTotal: number;
  private waiting = 0;
  private readonly loopLagMs: () => number;

  constructor(
    private readonly options: WebhookGateOptions,
    private readonly observer: GateObserver,
    private readonly now: () => number = Date.now,
  ) {
    this.queueWaitMs = options.queueWaitMs ?? 0;
    this.queueLength = options.queueLength ?? 0;
    this.queueTotal = options.queueTotal ?? Number.POSITIVE_INFINITY;
    if (options.loopLagMs) this.loopLagMs = options.loopLagMs;
    else {
      const lag = new LoopLag();
      this.loopLagMs = () => lag.read();
    }
  }

  /** Admits now, or after a short wait in this webhook's queue, or refuses with when to come back. */
  acquire(webhookId: string, limits: WebhookLimits, returning = false): GateDecision | Promise<GateDecision> {
    const state = this.state(webhookId);
    const decision = state.waiters.length === 0 ? this.tryAcquire(webhookId, limits) : null;
    if (decision?.admitted) return decision;
    const now = this.now();
    const waitMs = returning && this.queueWaitMs > 0 ? Math.max(this.queueWaitMs, RETURNING_WAIT_MS) : this.queueWaitMs;
    if (decision && !this.mayWait(state, decision, now + waitMs)) return decision;
    const factor = returning ? RETURNING_QUEUE_FACTOR : 1;
    if (state.waiters.length >= this.queueLength * factor || this.waiting >= this.queueTotal * factor)
      return decision ?? { admitted: false, reason: 'concurrency', retryAt: now + this.backlogWaitMs(state) };
    this.waiting += 1;
    return new Promise<GateDecision>((resolve) => {
      const waiter: Waiter = {
        limits,
        returning,
        deadline: now + waitMs,
        resolve: (d) => {
          this.waiting -= 1;
          resolve(d);
        },
        timer: setTimeout(() => {
          const at = state.waiters.indexOf(waiter);
          if (at < 0) return;
          state.waiters.splice(at, 1);
          waiter.resolve(this.tryAcquire(webhookId, limits));
        }, waitMs),
      };
      // Behind earlier returning deliveries, ahead of every fresh one.
      const at = returning ? state.waiters.findIndex((w) => !w.returning) : -1;
      if (at < 0) state.waiters.push(waiter);
      else state.waiters.splice(at, 0, waiter);
      if (decision?.reason === 'rate') this.wakeAt(webhookId, state, decision.retryAt);
    });
  }

  tryAcquire(webhookId: string, limits: WebhookLimits): GateDecision {
    const state = this.state(webhookId);
    const now = this.now();
    if (now < state.pausedUntil) return { admitted: false, reason: 'paused', retryAt: state.pausedUntil };
    if (state.breaker === 'open') {
      const probeAt = state.openedAt + this.options.openMs;
      if (now < probeAt) return { admitted: false, reason: 'breaker_open', retryAt: probeAt };
      this.setBreaker(webhookId, state, 'half_open');
    }
    if (state.breaker === 'half_open' && state.probeInFlight) {
      return { admitted: false, reason: 'breaker_open', retryAt: now + Math.min(this.options.openMs, 1000) };
    }
    const max = limits.maxConcurrency ?? this.options.maxConcurrency;
    if (Number.isNaN(state.limit) || state.limit > max)
      this.setLimit(webhookId, state, Math.min(max, this.options.initialConcurrency ?? max));
    const failing = state.consecutiveFailures > 0;
    const cap = failing ? FAILING_CONCURRENCY : Math.floor(state.limit);
    if (state.inFlight >= cap) {
      const wait = failing ? FAILING_RETRY_MS : this.backlogWaitMs(state);
      return { admitted: false, reason: 'concurrency', retryAt: now + wait };
    }
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
    const admittedInFlight = state.inFlight;
    const saturated = state.inFlight >= cap || state.waiters.length > 0;
    const epoch = state.epoch;
    this.observer.inFlightChanged(webhookId, state.inFlight);
    let released = false;
    return {
      admitted: true,
      release: (success, detail = {}) => {
        if (released) return;
        released = true;
        state.inFlight -= 1;
        this.observer.inFlightChanged(webhookId, state.inFlight);
        if (probe) state.probeInFlight = false;
        this.adapt(webhookId, state, success, detail, { admittedInFlight, saturated, epoch, max });
        if (success !== null) this.record(webhookId, state, success, detail.timedOut ?? false);
        this.wake(webhookId, state);
      },
    };
  }

  /** Come back about when the requests ahead are done, not in a bounce every 200 ms. */
  private backlogWaitMs(state: WebhookState): number {
    const cap = Math.max(1, Math.floor(Number.isNaN(state.limit) ? 1 : state.limit));
    const backlogMs = ((state.waiters.length + 1) / cap) * (state.latencyMs ?? 0);
    // Half of it: the queue is refilled before it runs dry.
    return Math.min(MAX_BACKLOG_WAIT_MS, Math.max(200, Math.round(backlogMs / 2)));
  }

  /** The webhook's current adaptive limit on requests in flight; null before its first delivery. */
  currentLimit(webhookId: string): number | null {
    const limit = this.states.get(webhookId)?.limit;
    return limit === undefined || Number.isNaN(limit) ? null : Math.floor(limit);
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
    if (!state || state.inFlight > 0 || state.waiters.length > 0) return;
    if (state.wakeTimer) clearTimeout(state.wakeTimer);
    this.states.delete(webhookId);
    this.observer.breakerChanged(webhookId, 'closed');
  }

  /** AIMD: ×0.5 on push-back (once per window), fast back up to the level known to hold, slow above it. */
  private adapt(
    webhookId: string,
    state: WebhookState,
    success: boolean | null,
    detail: ReleaseDetail,
    admission: { admittedInFlight: number; saturated: boolean; epoch: number; max: number },
  ): void {
    const now = this.now();
    if (detail.retryAfterMs != null && detail.retryAfterMs > 0) {
      const pause = Math.min(detail.retryAfterMs, this.options.maxPauseMs ?? 3_600_000);
      state.pausedUntil = Math.max(state.pausedUntil, now + pause);
    }
    let jumped = false;
    if (success === true && detail.durationMs !== undefined) {
      const base = state.latencyMs;
      // Time the response waited for this process's own busy event loop is not the receiver's.
      const own = base === null ? 0 : this.loopLagMs();
      const theirs = detail.durationMs - own;
      jumped = base !== null && theirs > base * LATENCY_JUMP_FACTOR && theirs - base > LATENCY_JUMP_MIN_MS;
      state.latencyMs = base === null ? detail.durationMs : base + LATENCY_ALPHA * (detail.durationMs - base);
    }
    if (detail.congested || detail.timedOut || jumped) {
      if (admission.epoch !== state.epoch) return;
      state.epoch += 1;
      // The receiver turned this many away: the level below it is what holds.
      if (detail.congested) state.safeLimit = Math.max(1, admission.admittedInFlight - 1);
      this.setLimit(webhookId, state, Math.max(1, Math.floor(state.limit * 0.5)));
      return;
    }
    if (success !== true || !admission.saturated || state.limit >= admission.max) return;
    const below = state.safeLimit === null || state.limit < state.safeLimit;
    const next = below
      ? Math.min(state.limit + 1, state.safeLimit ?? Number.POSITIVE_INFINITY)
      : state.limit + 1 / (Math.floor(state.limit) * PROBE_WINDOWS);
    this.setLimit(webhookId, state, Math.min(admission.max, next));
  }

  /** Admits waiting deliveries while there is room; refuses those that can no longer wait. */
  private wake(webhookId: string, state: WebhookState): void {
    while (state.waiters.length > 0) {
      const head = state.waiters[0];
      const decision = this.tryAcquire(webhookId, head.limits);
      if (!decision.admitted && this.mayWait(state, decision, head.deadline)) {
        if (decision.reason === 'rate') this.wakeAt(webhookId, state, decision.retryAt);
        return;
      }
      state.waiters.shift();
      clearTimeout(head.timer);
      head.resolve(decision);
    }
  }

  private wakeAt(webhookId: string, state: WebhookState, at: number): void {
    if (state.wakeTimer) return;
    state.wakeTimer = setTimeout(
      () => {
        state.wakeTimer = null;
        this.wake(webhookId, state);
      },
      Math.max(0, at - this.now()),
    );
  }

  /** Only a healthy webhook's deliveries wait in memory, and only for a slot or a token due in time. */
  private mayWait(
    state: WebhookState,
    decision: Extract<GateDecision, { admitted: false }>,
    deadline: number,
  ): boolean {
    if (this.queueWaitMs <= 0 || state.consecutiveFailures > 0) return false;
    return decision.reason === 'concurrency' || (decision.reason === 'rate' && decision.retryAt <= deadline);
  }

  private setLimit(webhookId: string, state: WebhookState, limit: number): void {
    const before = Math.floor(state.limit);
    state.limit = limit;
    if (Math.floor(limit) !== before) this.observer.limitChanged?.(webhookId, Math.floor(limit));
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
        limit: Number.NaN,
        safeLimit: null,
        epoch: 0,
        latencyMs: null,
        pausedUntil: 0,
        waiters: [],
        wakeTimer: null,
      };
      this.states.set(webhookId, state);
    }
    return state;
  }
}
