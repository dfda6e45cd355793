import { confirmDeliveries, PairChecksum, type Confirmation } from './delivery-ledger';
import { LatencyRecorder, type LatencySummary } from './latency-recorder';
import {
  countAudit,
  costPer1000,
  nextEvents,
  publishBatchFor,
  setupPhase,
  sleep,
  waitUntil,
  type AuditCount,
  type BenchContext,
  type CostReport,
} from './bench-context';
import type { EndpointMode } from './receiver-fleet';

export interface LatencyResult extends Confirmation {
  name: string;
  fanout: number;
  bodyBytes: number;
  endpoints: number;
  ratePerSecond: number;
  measuredSeconds: number;
  /** Publish (scheduled send time) → arrival at the receiver, healthy endpoints, after warm-up. */
  latencyMs: LatencySummary;
  /** Healthy deliveries that had not arrived when the drain timed out (excluded from latencyMs). */
  notArrived: number;
  misbehaving: { hanging: number; failing: number; hungRequests: number; refusedRequests: number };
  audit: AuditCount;
  cost: CostReport | null;
  curve: { percentile: number; ms: number }[];
}

/**
 * Open loop: event n is due at start + n/rate, whether or not earlier ones were delivered, and
 * its latency is measured from that due time — a stalled pipeline or publisher shows up in the
 * figures instead of silently slowing the load (no coordinated omission).
 */
export async function runLatencyPhase(
  ctx: BenchContext,
  id: string,
  spec: { name: string; fanout: number; bodyBytes: number; rate: number; modeOf?: (index: number) => EndpointMode },
): Promise<LatencyResult> {
  const { options } = ctx;
  const setup = await setupPhase(ctx, id, spec.fanout, spec.modeOf);
  const record = ctx.fleet.phase(id);
  const expected = new PairChecksum();
  const total = Math.ceil(((options.warmupMs + options.durationMs) / 1000) * spec.rate);
  const due = new Float64Array(total);
  const latency = new LatencyRecorder();
  const batch = publishBatchFor(options, spec.bodyBytes);
  ctx.log(`latency ${spec.name}: ${spec.rate} events/s open loop, ${options.warmupMs / 1000} s warm-up + ${options.durationMs / 1000} s`);

  const started = performance.now();
  const warmSeq = Math.floor((options.warmupMs / 1000) * spec.rate);
  for (let n = 0; n < total; n++) due[n] = started + (n * 1000) / spec.rate;
  record.onFirstArrival = (eventId, _key, arrivedAt) => {
    const seq = Number(eventId.slice(eventId.lastIndexOf('-') + 1));
    if (seq >= warmSeq) latency.record(arrivedAt - due[seq]);
  };

  let seq = 0;
  let costWindow: ReturnType<NonNullable<BenchContext['cost']>['window']> | null = null;
  const pending = new Set<Promise<void>>();
  while (seq < total) {
    const now = performance.now();
    if (costWindow === null && seq >= warmSeq) costWindow = ctx.cost?.window() ?? null;
    let count = 0;
    while (seq + count < total && due[seq + count] <= now && count < batch) count++;
    if (count === 0) {
      await sleep(1);
      continue;
    }
    const send = ctx.publisher.publish(nextEvents(setup, seq, count, spec.bodyBytes, expected));
    seq += count;
    // Sends overlap: a slow produce request must not delay the next due events.
    pending.add(send);
    void send.finally(() => pending.delete(send));
    if (pending.size >= 32) await Promise.race(pending);
  }
  await Promise.all(pending);
  const figures = costWindow?.end() ?? null;

  await waitUntil(() => record.ledger.unique >= expected.count, options.drainTimeoutMs);
  record.onFirstArrival = null;
  const confirmation = confirmDeliveries(expected, record.ledger.summary());
  const audit = await countAudit(
    ctx.databaseUrl,
    setup.tenants.map((t) => t.tenantId),
  );
  const summary = latency.summary();
  ctx.log(
    `  p50 ${summary.p50} ms, p95 ${summary.p95} ms, p99 ${summary.p99} ms, max ${summary.max} ms; ${confirmation.confirmed ? 'all confirmed' : `${confirmation.lost} not arrived`}`,
  );
  // Healthy deliveries due after the warm-up, the ones the cost window covers.
  const measuredDeliveries = Math.round((expected.count * (total - warmSeq)) / Math.max(1, total));
  return {
    name: spec.name,
    fanout: spec.fanout,
    bodyBytes: spec.bodyBytes,
    endpoints: setup.endpoints,
    ratePerSecond: spec.rate,
    measuredSeconds: options.durationMs / 1000,
    latencyMs: summary,
    notArrived: confirmation.lost,
    ...confirmation,
    misbehaving: {
      hanging: setup.tenants.length * (spec.modeOf ? countMode(spec.fanout, spec.modeOf, 'hang') : 0),
      failing: setup.tenants.length * (spec.modeOf ? countMode(spec.fanout, spec.modeOf, 'error') : 0),
      hungRequests: record.hung,
      refusedRequests: record.refused,
    },
    audit,
    cost: figures ? costPer1000(figures, measuredDeliveries) : null,
    curve: latency.curve(),
  };
}

function countMode(fanout: number, modeOf: (index: number) => EndpointMode, mode: EndpointMode): number {
  let n = 0;
  for (let i = 0; i < fanout; i++) if (modeOf(i) === mode) n++;
  return n;
}
