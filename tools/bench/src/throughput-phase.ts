import { confirmDeliveries, PairChecksum, type Confirmation } from './delivery-ledger';
import {
  awaitAudit,
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

export interface ThroughputResult extends Confirmation {
  name: string;
  fanout: number;
  bodyBytes: number;
  /** Every webhook of the phase had a payload filter (accepting every event). */
  filtered: boolean;
  endpoints: number;
  measuredSeconds: number;
  deliveriesPerSecond: number;
  eventsPerSecond: number;
  ratioToBaseline: number | null;
  audit: AuditCount & { complete: boolean };
  /** CPU per process over the measured window. */
  cost: PhaseCost | null;
}

/**
 * Closed loop at the pipeline's limit: events are published as fast as deliveries come back,
 * keeping at most `maxInFlight` deliveries outstanding, so the rate measured after the warm-up
 * is what the pipeline sustains, not what the publisher queued. Afterwards every delivery must
 * be confirmed by the receivers (count + checksum) and stored by audit-log.
 */
export async function runThroughputPhase(
  ctx: BenchContext,
  id: string,
  fanout: number,
  bodyBytes: number,
  filtered = ctx.options.filter,
): Promise<ThroughputResult> {
  const { options } = ctx;
  const name = `fan-out ${fanout}, ${bodyBytes / 1024} KiB${filtered ? ', filtered' : ''}`;
  const setup = await setupPhase(ctx, id, fanout, undefined, filtered);
  const record = ctx.fleet.phase(id);
  const expected = new PairChecksum();
  const batch = publishBatchFor(options, bodyBytes);
  ctx.log(`throughput ${name}: ${options.warmupMs / 1000} s warm-up + ${options.durationMs / 1000} s measured`);

  const started = performance.now();
  const measureFrom = started + options.warmupMs;
  const measureTo = measureFrom + options.durationMs;
  let seq = 0;
  let atStart: number | null = null;
  let costWindow: ReturnType<NonNullable<BenchContext['cost']>['window']> | null = null;
  for (;;) {
    const now = performance.now();
    if (atStart === null && now >= measureFrom) {
      atStart = record.unique;
      costWindow = ctx.cost?.window() ?? null;
    }
    if (now >= measureTo) break;
    const outstanding = expected.count - record.unique;
    const room = Math.floor((options.maxInFlight - outstanding) / fanout);
    if (room <= 0) {
      await sleep(1);
      continue;
    }
    const count = Math.min(room, batch);
    await ctx.publisher.publish(nextEvents(setup, seq, count, bodyBytes, expected));
    seq += count;
  }
  const measured = record.unique - (atStart ?? 0);
  const figures = costWindow?.end() ?? null;
  const seconds = options.durationMs / 1000;

  await waitUntil(() => record.unique >= expected.count, options.drainTimeoutMs);
  const tenantIds = setup.tenants.map((t) => t.tenantId);
  const audit = await awaitAudit(ctx.databaseUrl, tenantIds, expected.count, 30000);
  // Read after the audit wait too: a delivery that arrived meanwhile is not lost.
  const confirmation = confirmDeliveries(expected, await record.summary());
  ctx.fleet.forget(id);
  const deliveriesPerSecond = Math.round(measured / seconds);
  ctx.log(
    `  ${deliveriesPerSecond} deliveries/s, ${expected.count} sent, ${confirmation.confirmed ? 'all confirmed' : `${confirmation.lost} lost`}, audit ${audit.delivered}/${expected.count}${figures ? `, whole box ${phaseCost(figures, measured, seconds).wholeBox.cpuSecondsPer1000} CPU-s per 1,000` : ''}`,
  );
  return {
    name,
    fanout,
    bodyBytes,
    filtered,
    endpoints: setup.endpoints,
    measuredSeconds: seconds,
    deliveriesPerSecond,
    eventsPerSecond: Math.round(measured / fanout / seconds),
    ratioToBaseline: null,
    ...confirmation,
    audit: { ...audit, complete: audit.delivered === expected.count },
    cost: figures ? phaseCost(figures, measured, seconds) : null,
  };
}
