/** Display helpers for the portal (pure, locale-independent so tests and screenshots are stable). */

const units: [number, string][] = [
  [86_400_000, 'day'],
  [3_600_000, 'hour'],
  [60_000, 'minute'],
  [1000, 'second'],
];

/** "3 minutes ago", "just now", "never". */
export function relativeTime(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return 'never';
  const elapsed = now - new Date(iso).getTime();
  if (Number.isNaN(elapsed)) return 'unknown';
  if (elapsed < 5000) return 'just now';
  for (const [size, unit] of units) {
    const count = Math.floor(elapsed / size);
    if (count >= 1) return `${count} ${unit}${count === 1 ? '' : 's'} ago`;
  }
  return 'just now';
}

/** "2026-11-23 10:04:05 UTC" */
export function utcTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** "85 ms", "1.3 s" */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

/** 0.973 → "97.3%", 1 → "100%" */
export function percent(ratio: number): string {
  const value = Math.round(ratio * 1000) / 10;
  return `${value}%`;
}

/** Body text for display: pretty JSON when it is JSON, otherwise as received. */
export function prettyBody(body: string | null): string {
  if (body === null) return '(not kept: the event is no longer stored)';
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}
