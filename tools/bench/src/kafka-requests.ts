import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** One service's cumulative counts as tools/kafka/request-count-hook.js writes them. */
interface CountFile {
  service: string;
  pid: number;
  at: number;
  total: Record<string, number>;
  groups: Record<string, Record<string, number>>;
}

export type RequestSnapshot = Map<string, CountFile>;

/** Kafka requests per event of one service: all of them, by API, and by consumer group and API. */
export interface ServiceRequests {
  service: string;
  perEvent: number;
  apis: Record<string, number>;
  groups: Record<string, Record<string, number>>;
}

/** How often the bench asks the hook to write its counts (a phase window is tens of seconds). */
export const HOOK_INTERVAL_MS = 1000;

export function readRequestCounts(dir: string): RequestSnapshot {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    return new Map();
  }
  const snapshot: RequestSnapshot = new Map();
  for (const file of files) {
    try {
      snapshot.set(file, JSON.parse(readFileSync(resolve(dir, file), 'utf8')) as CountFile);
    } catch {
      // Caught mid-write: that service is left out of this window.
    }
  }
  return snapshot;
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;

function perEvent(from: Record<string, number> = {}, to: Record<string, number>, events: number) {
  const out: Record<string, number> = {};
  for (const [api, n] of Object.entries(to)) {
    const diff = n - (from[api] ?? 0);
    if (diff > 0) out[api] = round3(diff / events);
  }
  return Object.fromEntries(Object.entries(out).sort((a, b) => b[1] - a[1]));
}

/** Requests per event between two snapshots, over each file's own write times, at `eventsPerSecond`. */
export function requestsPerEvent(
  before: RequestSnapshot,
  after: RequestSnapshot,
  eventsPerSecond: number,
): ServiceRequests[] {
  const services: ServiceRequests[] = [];
  for (const [file, b] of after) {
    const a = before.get(file);
    if (!a || b.at <= a.at) continue;
    const events = ((b.at - a.at) / 1000) * eventsPerSecond;
    const apis = perEvent(a.total, b.total, events);
    const groups: Record<string, Record<string, number>> = {};
    for (const [group, counts] of Object.entries(b.groups)) {
      const rates = perEvent(a.groups[group], counts, events);
      if (Object.keys(rates).length > 0) groups[group] = rates;
    }
    const total = round3(Object.values(apis).reduce((sum, n) => sum + n, 0));
    services.push({ service: b.service, perEvent: total, apis, groups });
  }
  return services.sort((x, y) => x.service.localeCompare(y.service));
}

/** Log lines: each service's requests per event by API, then its consumer groups'. */
export function requestLines(services: ServiceRequests[]): string[] {
  const fmt = (rates: Record<string, number>) =>
    Object.entries(rates)
      .map(([api, n]) => `${api} ${n}`)
      .join(', ');
  const all = round3(services.reduce((sum, s) => sum + s.perEvent, 0));
  const lines = [`  Kafka requests per event: ${all} (all services)`];
  for (const s of services) {
    lines.push(`    ${s.service} ${s.perEvent}: ${fmt(s.apis)}`);
    for (const [group, rates] of Object.entries(s.groups)) lines.push(`      ${group}: ${fmt(rates)}`);
  }
  return lines;
}
