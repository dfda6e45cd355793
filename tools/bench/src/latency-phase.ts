import { confirmDeliveries, PairChecksum, type Confirmation } from './delivery-ledger';
import { LatencyRecorder, type LatencySummary } from './latency-recorder';
import {
  countAudit,
  phaseCost,
  nextEvents,
  publishBatchFor,
  setupPhase,
  sleep,
  waitUntil,
  type AuditCount,
  type BenchContext,
  type PhaseCost,
} from './bench-context';
import type { EndpointMode } from './receiver-fleet';
import {
  readRequestCounts,
  requestLines,
  requestsPerEvent,
  type RequestSnapshot,
  type ServiceRequests,
} from './kafka-requests';

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
  /** When the publisher actually sent, after each event's due time (the bench's own lag, inside latencyMs). */
  publishLagMs: { p50: number; p99: number; max: number };
  /** CPU per process over the measured part (after the warm-up). */
  cost: PhaseCost | null;
  /** Kafka requests per event of each service over the measured part (with `--kafka-requests`). */
  kafkaRequests: ServiceRequests[] | null;
  curve: { percentile: number; ms: number }[];
}

export interface LatencySpec {
  name: string;
  fanout: number;
  bodyBytes: number;
  rate: number;
  modeOf?: (index: number) => EndpointMode;
  /** Phase-specific windows (low-rate phases run longer to gather enough samples). */
  warmupMs?: number;
  durationMs?: number;
}

/**
 * Open loop: event n is due at start + n/rate, whether or not earlier ones were delivered, and
 * its latency is measured from that due time — a stalled pipeline or publisher shows up in the
 * figures instead of silently slowing the load (no coordinated omission).
 */
export async function runLatencyPhase(ctx: BenchContext, id: string, spec: LatencySpec): Promise<LatencyResult> {
  const { options } = ctx;
  const warmupMs = spec.warmupMs ?? options.warmupMs;
  const durationMs = spec.durationMs ?? options.durationMs;
  const setup = await setupPhase(ctx, id, spec.fanout, spec.modeOf);
  const record = ctx.fleet.phase(id);
  const expected = new PairChecksum();
  const total = Math.ceil(((warmupMs + durationMs) / 1000) * spec.rate);
  const due = new Float64Array(total);
  const latency = new LatencyRecorder();
  const batch = publishBatchFor(options, spec.bodyBytes);
  ctx.log(
    `latency ${spec.name}: ${spec.rate} events/s open loop, ${warmupMs / 1000} s warm-up + ${durationMs / 1000} s`,
  );

  const lag = new LatencyRecorder();
  const warmSeq = Math.floor((warmupMs / 1000) * spec.rate);
  record.onFirstArrival = (eventId, _key, arrivedAt) => {
    const seq = Number(eventId.slice(eventId.lastIndexOf('-') + 1));
    // Arrivals are stamped on the receivers' clocks, corrected to the bench's epoch clock.
    if (seq >= warmSeq) latency.record(arrivedAt - performance.timeOrigin - due[seq]);
  };
  await ctx.fleet.trackArrivals(id, true);
  const started = performance.now();
  for (let n = 0; n < total; n++) due[n] = started + (n * 1000) / spec.rate;

  let seq = 0;
  let costWindow: ReturnType<NonNullable<BenchContext['cost']>['window']> | null = null;
  let windowFrom = 0;
  const requestsDir = options.kafkaRequestsDir;
  let requestsBefore: RequestSnapshot | null = null;
  const pending = new Set<Promise<void>>();
  while (seq < total) {
    const now = performance.now();
    if (costWindow === null && seq >= warmSeq) {
      costWindow = ctx.cost?.window() ?? null;
      windowFrom = now;
      if (requestsDir) requestsBefore = readRequestCounts(requestsDir);
    }
    let count = 0;
    while (seq + count < total && due[seq + count] <= now && count < batch) count++;
    if (count === 0) {
      // Until the next event is due (at 1 event/s a 1 ms poll would be most of the bench's CPU).
      await sleep(Math.max(0, Math.min(50, due[seq] - now - 0.5)));
      continue;
    }
    lag.record(performance.now() - due[seq]);
    const send = ctx.publisher.publish(nextEvents(setup, seq, count, spec.bodyBytes, expected));
    seq += count;
    // Sends overlap: a slow produce request must not delay the next due events.
    pending.add(send);
    void send.finally(() => pending.delete(send));
    if (pending.size >= 32) await Promise.race(pending);
  }
  await Promise.all(pending);
  const figures = costWindow?.end() ?? null;
  const kafkaRequests =
    requestsDir && requestsBefore ? requestsPerEvent(requestsBefore, readRequestCounts(requestsDir), spec.rate) : null;
  const windowSeconds = (performance.now() - windowFrom) / 1000;

  await waitUntil(() => record.unique >= expected.count, options.drainTimeoutMs);
  await ctx.fleet.trackArrivals(id, false);
  record.onFirstArrival = null;
  const received = await record.summary();
  const confirmation = confirmDeliveries(expected, received);
  ctx.fleet.forget(id);
  const audit = await countAudit(
    ctx.databaseUrl,
    setup.tenants.map((t) => t.tenantId),
  );
  const summary = latency.summary();
  // Healthy deliveries due after the warm-up, the ones the cost window covers.
  const measuredDeliveries = Math.round((expected.count * (total - warmSeq)) / Math.max(1, total));
  const cost = figures ? phaseCost(figures, measuredDeliveries, windowSeconds) : null;
  ctx.log(
    `  p50 ${summary.p50} ms, p95 ${summary.p95} ms, p99 ${summary.p99} ms, max ${summary.max} ms; ${confirmation.confirmed ? 'all confirmed' : `${confirmation.lost} not arrived`}${cost ? `; whole box ${cost.wholeBox.cpuSecondsPer1000} CPU-s per 1,000` : ''}`,
  );
  for (const line of kafkaRequests ? requestLines(kafkaRequests) : []) ctx.log(line);
  return {
    name: spec.name,
    fanout: spec.fanout,
    bodyBytes: spec.bodyBytes,
    endpoints: setup.endpoints,
    ratePerSecond: spec.rate,
    measuredSeconds: durationMs / 1000,
    latencyMs: summary,
    notArrived: confirmation.lost,
    ...confirmation,
    misbehaving: {
      hanging: setup.tenants.length * (spec.modeOf ? countMode(spec.fanout, spec.modeOf, 'hang') : 0),
      failing: setup.tenants.length * (spec.modeOf ? countMode(spec.fanout, spec.modeOf, 'error') : 0),
      hungRequests: received.hung,
      refusedRequests: received.refused,
    },
    audit,
    publishLagMs: { p50: lag.summary().p50, p99: lag.summary().p99, max: lag.summary().max },
    cost,
    kafkaRequests,
    curve: latency.curve(),
  };
}

function countMode(fanout: number, modeOf: (index: number) => EndpointMode, mode: EndpointMode): number {
  let n = 0;
  for (let i = 0; i < fanout; i++) if (modeOf(i) === mode) n++;
  return n;
}
