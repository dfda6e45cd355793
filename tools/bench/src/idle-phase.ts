import { phaseCost, sleep, type BenchContext, type PhaseCost } from './bench-context';

export interface IdleResult {
  /** Seconds the stack ran with no traffic before the window (start-up work settling). */
  settleSeconds: number;
  measuredSeconds: number;
  /** Cores busy on average per process; `wholeBox` is Herald's five services + Kafka + PostgreSQL. */
  cost: PhaseCost | null;
}

/**
 * Issue 20's idle phase: the stack up with no traffic at all; what each process, Kafka and
 * PostgreSQL spend just being there, in cores averaged over the window.
 */
export async function runIdlePhase(ctx: BenchContext): Promise<IdleResult> {
  const { idleSettleMs, idleMs } = ctx.options;
  ctx.log(`idle: no traffic, ${idleSettleMs / 1000} s settling + ${idleMs / 1000} s measured`);
  await sleep(idleSettleMs);
  const window = ctx.cost?.window() ?? null;
  const from = performance.now();
  await sleep(idleMs);
  const figures = window?.end() ?? null;
  const seconds = (performance.now() - from) / 1000;
  const cost = figures ? phaseCost(figures, 0, seconds) : null;
  if (cost)
    ctx.log(
      `  whole box ${cost.wholeBox.cores} cores (${Object.entries(cost.processes)
        .map(([name, c]) => `${name} ${c.cores}`)
        .join(', ')})`,
    );
  return { settleSeconds: idleSettleMs / 1000, measuredSeconds: Math.round(seconds * 10) / 10, cost };
}
