import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { heraldHome, repoRoot } from '@herald/stack';
import { chaosPortsFromEnv, fullChaosOptions, shortChaosOptions } from './chaos-options';
import { runChaos } from './chaos-run';

const USAGE = `usage: npm run chaos -- [--short] [--flapping|--no-flapping] [--seed N] [--out FILE]
  --short        the short form (about 4 minutes) instead of the full one (at most 15)
  --no-flapping  leave out the flapping receivers
  --seed N       repeat a run's fault order and timing
  --out FILE     result file (default bench/results/chaos-<date>.json)
  --home DIR     state directory (default $HERALD_HOME/chaos)
Ports: CHAOS_KAFKA_PORT (19192), CHAOS_KAFKA_CONTROLLER_PORT (19193), CHAOS_POSTGRES_PORT (54359);
state under the home directory, wiped at start.`;

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
  const options = args.includes('--short') ? shortChaosOptions(base) : fullChaosOptions(base);
  const result = await runChaos(options);
  const out = value('--out') ?? resolve(repoRoot, 'bench/results', `chaos-${result.startedAt.slice(0, 10)}.json`);
  mkdirSync(resolve(out, '..'), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(
    `published ${result.published}, expected deliveries ${result.expectedDeliveries}, confirmed ${result.confirmed}, ` +
      `lost ${result.lost}, duplicates ${result.duplicates} (${result.duplicatePercent}%), misdelivered ${result.misdelivered}, ` +
      `secrets leaked ${result.secrets.leaks.length} (${result.secrets.checked} secrets over ${result.secrets.placesScanned} logs, metrics and attempt tables), ` +
      `flapping receiver answered ${JSON.stringify(result.flappingRequests)}, ` +
      `faults ${result.faults.filter((f) => !f.skipped).length}, ${result.durationS}s → ${out}`,
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
