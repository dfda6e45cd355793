import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { generateSecret } from '@herald/signing';
import { confirmDeliveries, PairChecksum, type Confirmation } from './delivery-ledger';
import { sleep, type BenchContext } from './bench-context';
import { runPostLoop, type PostLoopOptions, type PostLoopResult } from './post-loop';

export interface BaselineResult extends Confirmation {
  name: string;
  bodyBytes: number;
  endpoints: number;
  concurrency: number;
  measuredSeconds: number;
  deliveriesPerSecond: number;
  failed: number;
}

/** On its own thread once built (a .js file exists); in-process when run from TypeScript (tests). */
function postLoop(options: PostLoopOptions): Promise<PostLoopResult> {
  const worker = resolve(__dirname, 'post-loop.worker.js');
  if (!existsSync(worker)) return runPostLoop(options);
  return new Promise((resolvePromise, reject) => {
    const thread = new Worker(worker, { workerData: options });
    thread.once('message', (result: PostLoopResult) => {
      resolvePromise(result);
      void thread.terminate();
    });
    thread.once('error', reject);
  });
}

/**
 * The machine's own limit for outbound deliveries: the same receivers driven by a bare undici
 * POST loop with the same bodies and signatures, no Kafka, no Herald. Counted by the receivers
 * over the same warm-up + measured window as the Herald phases.
 */
export async function runBaselinePhase(ctx: BenchContext, id: string, bodyBytes: number, endpoints: number): Promise<BaselineResult> {
  const { options } = ctx;
  const name = `baseline, ${bodyBytes / 1024} KiB`;
  const targets = Array.from({ length: endpoints }, (_, i) => {
    const key = `${id}-w${i}`;
    const url = ctx.fleet.add({ key, mode: 'ok' });
    const secret = generateSecret();
    ctx.fleet.setSecret(key, secret);
    return { key, url, secret };
  });
  const record = ctx.fleet.phase(id);
  ctx.log(`${name}: ${options.baselineConcurrency} concurrent POST loops over ${endpoints} endpoints`);
  const run = postLoop({
    phase: id,
    targets,
    bodyBytes,
    concurrency: options.baselineConcurrency,
    durationMs: options.warmupMs + options.durationMs,
  });
  await sleep(options.warmupMs);
  const atStart = record.ledger.unique;
  await sleep(options.durationMs);
  const measured = record.ledger.unique - atStart;
  const result = await run;
  const sent = PairChecksum.of(result.sent, result.checksum);
  const confirmation = confirmDeliveries(sent, record.ledger.summary());
  const deliveriesPerSecond = Math.round(measured / (options.durationMs / 1000));
  ctx.log(`  ${deliveriesPerSecond} deliveries/s, ${confirmation.confirmed ? 'all confirmed' : `${confirmation.lost} lost`}`);
  return {
    name,
    bodyBytes,
    endpoints,
    concurrency: options.baselineConcurrency,
    measuredSeconds: options.durationMs / 1000,
    deliveriesPerSecond,
    failed: result.failed,
    ...confirmation,
  };
}
