import { fork } from 'node:child_process';
import { generateSecret } from '@herald/signing';
import { childScript } from './child-script';
import { confirmDeliveries, PairChecksum, type Confirmation } from './delivery-ledger';
import { HARNESS, phaseCost, sleep, type BenchContext, type PhaseCost } from './bench-context';
import type { PostLoopOptions, PostLoopResult } from './post-loop';

export interface BaselineResult extends Confirmation {
  name: string;
  bodyBytes: number;
  endpoints: number;
  concurrency: number;
  measuredSeconds: number;
  deliveriesPerSecond: number;
  failed: number;
  /** The load generator's and the receivers' CPU over the measured window (Herald idle). */
  cost: PhaseCost | null;
}

/** Starts the POST loop in its own process once it is loaded; resolves with what it sent. */
async function postLoop(
  options: PostLoopOptions,
  onStart: (pid: number) => void,
): Promise<{ done: Promise<PostLoopResult> }> {
  const child = fork(childScript('post-loop-process'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let result: PostLoopResult | null = null;
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    void exited.then(
      (code) => reject(new Error(`the baseline's load generator exited with ${code} before it was ready`)),
      reject,
    );
  });
  child.on('message', (message: PostLoopResult) => (result = message));
  if (child.pid) onStart(child.pid);
  child.send(options);
  const done = exited.then((code) => {
    if (!result) throw new Error(`the baseline's load generator exited with ${code} without a result`);
    return result;
  });
  return { done };
}

/**
 * The machine's own limit for outbound deliveries: a bare undici POST loop with the same bodies
 * and signatures (one process) against the same receivers (their own processes), no Kafka, no
 * Herald. Counted by the receivers over the same warm-up + measured window as Herald's phases.
 */
export async function runBaselinePhase(
  ctx: BenchContext,
  id: string,
  bodyBytes: number,
  endpoints: number,
): Promise<BaselineResult> {
  const { options } = ctx;
  const name = `baseline, ${bodyBytes / 1024} KiB`;
  const targets = Array.from({ length: endpoints }, (_, i) => {
    const key = `${id}-w${i}`;
    const url = ctx.fleet.add({ key, mode: 'ok' });
    const secret = generateSecret();
    ctx.fleet.setSecret(key, secret);
    return { key, url, secret };
  });
  await ctx.fleet.flush();
  const record = ctx.fleet.phase(id);
  ctx.log(`${name}: ${options.baselineConcurrency} concurrent POST loops (own process) over ${endpoints} endpoints`);
  const warmupMs = Math.min(options.warmupMs, options.baselineWarmupMs);
  const durationMs = Math.min(options.durationMs, options.baselineDurationMs);
  const run = await postLoop(
    {
      phase: id,
      targets,
      bodyBytes,
      concurrency: options.baselineConcurrency,
      durationMs: warmupMs + durationMs + 500,
    },
    (pid) => ctx.cost?.track(HARNESS.loadGenerator, { pids: [pid], tree: false }),
  );
  await sleep(warmupMs);
  const atStart = record.unique;
  const window = ctx.cost?.window() ?? null;
  await sleep(durationMs);
  const measured = record.unique - atStart;
  const figures = window?.end() ?? null;
  // The loop runs 0.5 s past the window, so the window sees it working to the end.
  const result = await run.done;
  ctx.cost?.untrack(HARNESS.loadGenerator);
  const sent = PairChecksum.of(result.sent, result.checksum);
  const confirmation = confirmDeliveries(sent, await record.summary());
  ctx.fleet.forget(id);
  const deliveriesPerSecond = Math.round(measured / (durationMs / 1000));
  ctx.log(
    `  ${deliveriesPerSecond} POSTs/s, ${confirmation.confirmed ? 'all confirmed' : `${confirmation.lost} lost`}`,
  );
  return {
    name,
    bodyBytes,
    endpoints,
    concurrency: options.baselineConcurrency,
    measuredSeconds: durationMs / 1000,
    deliveriesPerSecond,
    failed: result.failed,
    ...confirmation,
    cost: figures ? phaseCost(figures, measured, durationMs / 1000) : null,
  };
}
