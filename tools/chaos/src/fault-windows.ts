import type { FaultRecord, LatencySummary } from './fault-plan';

/** The q-quantile (nearest rank) of ascending values; null when there are none. */
export function quantile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export function summarize(latencies: number[]): LatencySummary {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { deliveries: sorted.length, p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99) };
}

/** One confirmed delivery: when its event was sent and how long until its first 2xx (ms). */
export interface DeliverySample {
  sentAt: number;
  latencyMs: number;
}

/**
 * Fills each injected fault's `duplicates` (2xx beyond the first, from its start until the next fault's
 * start; the last one keeps the drain's) and `latencyMs` (events sent in the `windowMs` before its start,
 * between its start and end, and in the `windowMs` after its end). Times are ms since the epoch; `t0` is
 * the faults' `atS` origin. Lost pairs go by when their event was sent. Duplicates from `drainFrom` on (the
 * load stopped) are counted apart, not given to the last fault. Returns what no fault took.
 */
export function attributeToFaults(
  faults: FaultRecord[],
  t0: number,
  samples: DeliverySample[],
  duplicateAt: number[],
  windowMs: number,
  lostSentAt: number[] = [],
  drainFrom = Infinity,
): { beforeFirstFault: number; lostBeforeFirstFault: number; duringDrain: number } {
  const injected = faults
    .filter((f) => !f.skipped && f.kind !== 'flapping')
    .map((f) => ({ f, start: t0 + f.atS * 1000, end: t0 + (f.atS + f.durationS) * 1000 }))
    .sort((a, b) => a.start - b.start);
  const ordered = [...samples].sort((a, b) => a.sentAt - b.sentAt);
  const between = (from: number, to: number) => {
    const out: number[] = [];
    for (let i = lowerBound(ordered, from); i < ordered.length && ordered[i].sentAt < to; i++)
      out.push(ordered[i].latencyMs);
    return out;
  };
  for (const w of injected) {
    w.f.duplicates = 0;
    w.f.latencyMs = {
      before: summarize(between(w.start - windowMs, w.start)),
      during: summarize(between(w.start, Math.max(w.end, w.start + 1))),
      after: summarize(between(w.end, w.end + windowMs)),
    };
  }
  const latestBefore = (at: number) => {
    let owner: (typeof injected)[number] | undefined;
    for (const w of injected) if (w.start <= at) owner = w;
    return owner;
  };
  let beforeFirstFault = 0;
  let duringDrain = 0;
  for (const at of duplicateAt) {
    if (at >= drainFrom) {
      duringDrain++;
      continue;
    }
    const owner = latestBefore(at);
    if (owner) owner.f.duplicates = (owner.f.duplicates ?? 0) + 1;
    else beforeFirstFault++;
  }
  let lostBeforeFirstFault = 0;
  for (const w of injected) w.f.lost = 0;
  for (const at of lostSentAt) {
    const owner = latestBefore(at);
    if (owner) owner.f.lost = (owner.f.lost ?? 0) + 1;
    else lostBeforeFirstFault++;
  }
  return { beforeFirstFault, lostBeforeFirstFault, duringDrain };
}

function lowerBound(samples: DeliverySample[], at: number): number {
  let lo = 0;
  let hi = samples.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (samples[mid].sentAt < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
