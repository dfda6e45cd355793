import { DEFAULT_RETRY_SCHEDULE_SECONDS, RetrySchedule, retryTierFor } from './retry-schedule';

describe('RetrySchedule', () => {
  const schedule = new RetrySchedule(
    { scheduleSeconds: DEFAULT_RETRY_SCHEDULE_SECONDS, jitter: 0.1, maxRetryAfterMs: 3_600_000 },
    () => 0.5,
  );

  it('follows 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h with jitter, then stops', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7].map((n) => schedule.delayAfter(n, null, null));
    expect(delays).toEqual([5250, 315000, 1890000, 7560000, 18900000, 37800000, 37800000]);
    expect(schedule.delayAfter(8, null, null)).toBeNull();
  });

  it('uses a webhook schedule instead of the default', () => {
    expect(schedule.delayAfter(1, [1, 2], null)).toBe(1050);
    expect(schedule.delayAfter(3, [1, 2], null)).toBeNull();
  });

  it('honours Retry-After up to the cap, never earlier than the schedule', () => {
    expect(schedule.delayAfter(1, [1], 30_000)).toBe(30_000);
    expect(schedule.delayAfter(1, [1], 100)).toBe(1050);
    expect(schedule.delayAfter(1, [1], 86_400_000)).toBe(3_600_000);
  });
});

describe('retryTierFor', () => {
  it('picks the longest tier not longer than the wait', () => {
    expect(retryTierFor(0).delayMs).toBe(1000);
    expect(retryTierFor(4999).delayMs).toBe(1000);
    expect(retryTierFor(5000).delayMs).toBe(5000);
    expect(retryTierFor(36_000_000).delayMs).toBe(7_200_000);
  });
});
