export interface RateLimit {
  /** Requests per second a key may make, sustained. */
  perSecond: number;
  /** Requests a key may make at once after being idle. */
  burst: number;
}

/** Per tenant API key, per process: generous enough for the portal and scripts, not for a flood. */
export const DEFAULT_API_RATE_LIMIT: RateLimit = { perSecond: 50, burst: 100 };

/** The limit from a config validated with `apiRateLimitEnv` (@herald/config). */
export function apiRateLimitFrom(config: {
  API_RATE_LIMIT_PER_SECOND: number;
  API_RATE_LIMIT_BURST: number;
}): RateLimit {
  return { perSecond: config.API_RATE_LIMIT_PER_SECOND, burst: config.API_RATE_LIMIT_BURST };
}

/** Buckets kept before idle (full) ones are dropped, so unknown keys cannot grow the map. */
const MAX_BUCKETS = 10_000;

/** A token bucket per API key. */
export class KeyRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one token for `key`: 0 when the request may go ahead, else whole seconds to wait. */
  take(key: string): number {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.limit.burst, at: now };
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.limit.perSecond);
    bucket.at = now;
    if (!this.buckets.has(key)) {
      if (this.buckets.size >= MAX_BUCKETS) this.dropIdle(now);
      this.buckets.set(key, bucket);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.limit.perSecond));
  }

  private dropIdle(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * this.limit.perSecond >= this.limit.burst)
        this.buckets.delete(key);
    }
  }
}
