import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { heraldHome, repoRoot } from '@herald/stack';
import { chaosPortsFromEnv, clusterChaosOptions, fullChaosOptions, shortChaosOptions } from './chaos-options';
import { deliveriesPerEvent, runChaos } from './chaos-run';

const USAGE = `usage: npm run chaos -- [--short] [--brokers 3 [--replicas N] [--rate N]] [--no-flapping] [--seed N] [--out FILE]
  --short        the short form (about 4 minutes, one broker) instead of the full one (at most 15)
  --brokers 3    the cluster form: a 3-node KRaft cluster (RF 3, min.insync.replicas 2), broker faults,
                 two instances of every service, each SIGKILLed in turn (up to about 45 minutes)
  --replicas N   instances of every service in the cluster form (default 2)
  --rate N       deliveries/s in the cluster form (default: half the newest bench/results maximum)
  --no-flapping  leave out the flapping receivers
  --seed N       repeat a run's fault order and timing
  --out FILE     result file (default bench/results/chaos-<date>.json)
  --home DIR     state directory (default $HERALD_HOME/chaos)
Ports: CHAOS_KAFKA_PORT (19192), CHAOS_KAFKA_CONTROLLER_PORT (19193), CHAOS_POSTGRES_PORT (54359);
state under the home directory, wiped at start.`;

const NO_BENCH = 'no bench result in bench/results/ to take the rate from: pass --rate <deliveries/s>';

/** Half the highest deliveries/s of the newest full bench result (bench/results/<date>.json). */
function benchHalf(): { perSecond: number; source: string } | null {
  const dir = resolve(repoRoot, 'bench/results');
  if (!existsSync(dir)) return null;
  const newest = readdirSync(dir)
    .filter((f) => /^\d{4}-\d{2}-\d{2}\.json$/.test(f))
    .sort()
    .pop();
  if (!newest) return null;
  const bench = JSON.parse(readFileSync(resolve(dir, newest), 'utf8')) as { deliveriesPerSecond?: number };
  if (!bench.deliveriesPerSecond) return null;
  return {
    perSecond: bench.deliveriesPerSecond / 2,
    source: `half of bench/results/${newest} (${bench.deliveriesPerSecond} deliveries/s)`,
  };
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const value = (flag: string) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const seed = value('--seed') !== undefined ? Number(value('--seed')) : Math.floor(Math.random() * 2 ** 31);
  if (!Number.isInteger(seed)) {
    console.error('--seed must be an integer');
    return 2;
  }
  const base = {
    home: value('--home') ?? heraldHome('chaos'),
    ports: chaosPortsFromEnv(),
    seed,
    flapping: !args.includes('--no-flapping'),
    log: (line: string) => console.log(`[chaos ${new Date().toISOString().slice(11, 19)}] ${line}`),
  };
  const brokers = Number(value('--brokers') ?? 1);
  if (brokers !== 1 && brokers !== 3) {
    console.error(`--brokers must be 1 or 3, got ${value('--brokers')}`);
    return 2;
  }
  if (brokers === 3 && args.includes('--short')) {
    console.error('--short runs on one broker; leave out --brokers 3 or --short');
    return 2;
  }
  const replicas = Number(value('--replicas') ?? 2);
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > 4) {
    console.error(`--replicas must be an integer from 1 to 4, got ${value('--replicas')}`);
    return 2;
  }
  let options;
  if (brokers === 3) {
    const rate = value('--rate') !== undefined ? { perSecond: Number(value('--rate')), source: '--rate' } : benchHalf();
    if (!rate || !(rate.perSecond > 0)) {
      console.error(rate ? `--rate must be a positive number of deliveries/s, got ${value('--rate')}` : NO_BENCH);
      return 2;
    }
    const eventsPerSecond = Math.round((rate.perSecond / deliveriesPerEvent()) * 10) / 10;
    options = clusterChaosOptions({ ...base, brokers, replicas, eventsPerSecond, rateSource: rate.source });
  } else {
    options = args.includes('--short') ? shortChaosOptions(base) : fullChaosOptions(base);
  }
  const result = await runChaos(options);
  const out = value('--out') ?? resolve(repoRoot, 'bench/results', `chaos-${result.startedAt.slice(0, 10)}.json`);
  mkdirSync(resolve(out, '..'), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(
    `published ${result.published}, expected deliveries ${result.expectedDeliveries}, confirmed ${result.confirmed}, ` +
      `lost ${result.lost}, duplicates ${result.duplicates} (${result.duplicatePercent}%), misdelivered ${result.misdelivered}, ` +
      `secrets leaked ${result.secrets.leaks.length} (${result.secrets.checked} secrets over ${result.secrets.placesScanned} logs, metrics and attempt tables), ` +
      `flapping receiver answered ${JSON.stringify(result.flappingRequests)}, ` +
      `faults ${result.faults.filter((f) => !f.skipped).length}, ${result.durationS}s, ` +
      `latency p50 ${result.latencyMs.p50} ms p99 ${result.latencyMs.p99} ms, ` +
      `published ${result.load.publishedPerSecond}/s of ${result.load.eventsPerSecond}/s asked → ${out}`,
  );
  if (!result.pass)
    console.error(
      'chaos run FAILED: see lost, misdelivered, audit.confirmedWithoutSuccessRecord, secrets.leaks and faults',
    );
  return result.pass ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
