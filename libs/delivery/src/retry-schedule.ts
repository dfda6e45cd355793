import { RETRY_TIERS, type Topics } from '@herald/contracts';

/** Seconds to wait after each failed attempt: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (8 attempts in all). */
export const DEFAULT_RETRY_SCHEDULE_SECONDS = [5, 300, 1800, 7200, 18000, 36000, 36000] as const;

export interface RetryScheduleOptions {
  /** Delays (seconds) after attempt 1, 2, …; a webhook's own schedule replaces it. */
  scheduleSeconds: readonly number[];
  /** Up to this fraction is added to each delay, so endpoints that failed together do not retry together. */
  jitter: number;
  /** The longest `Retry-After` honoured (ms); longer asks are cut to this. */
  maxRetryAfterMs: number;
}

/**
 * When the next attempt of a delivery is due, or null when the schedule is exhausted. A
 * `Retry-After` (429/503) pushes the next attempt later, never earlier than the schedule.
 */
export class RetrySchedule {
  constructor(
    private readonly options: RetryScheduleOptions,
    private readonly random: () => number = Math.random,
  ) {}

  /** Delay (ms) after failed attempt number `attempt` (1-based); null when none is left. */
  delayAfter(attempt: number, webhookSchedule: readonly number[] | null, retryAfterMs: number | null): number | null {
    const schedule = webhookSchedule ?? this.options.scheduleSeconds;
    if (attempt > schedule.length) return null;
    const base = schedule[attempt - 1] * 1000;
    const jittered = Math.round(base * (1 + this.options.jitter * this.random()));
    const asked = retryAfterMs === null ? 0 : Math.min(retryAfterMs, this.options.maxRetryAfterMs);
    return Math.max(jittered, asked);
  }
}

export type RetryTierTopic = (typeof RETRY_TIERS)[number]['topic'] & keyof typeof Topics;

/** The tier a retry due in `remainingMs` waits in: the longest not longer than it (else the shortest). */
export function retryTierFor(remainingMs: number): (typeof RETRY_TIERS)[number] {
  let chosen: (typeof RETRY_TIERS)[number] = RETRY_TIERS[0];
  for (const tier of RETRY_TIERS) if (tier.delayMs <= remainingMs) chosen = tier;
  return chosen;
}
