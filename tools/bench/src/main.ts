import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { heraldHome, repoRoot, SERVICE_NAMES, startInfra, startStack, type Infra, type Stack } from '@herald/stack';
import { EventPublisher, HARNESS, type BenchContext } from './bench-context';
import { parseBenchArgs, plannedWindowSeconds, USAGE } from './bench-options';
import { latencyChartSvg, markdownReport } from './bench-report';
import { machineAtStart, runBench } from './bench-run';
import { HOOK_INTERVAL_MS } from './kafka-requests';
import { CostMonitor, type ProcessRoot } from './process-sampler';
import { ReceiverFleet } from './receiver-fleet';

/** The bench's own Kafka and PostgreSQL, apart from `npm start`'s and the tests'. */
const BENCH_PORTS = { kafka: 29092, kafkaController: 29093, postgres: 54369 };
const envPort = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const TOPIC_PREFIX = 'bench.';

function pidFrom(file: string): number | null {
  try {
    const pid = Number(readFileSync(file, 'utf8').split('\n')[0].trim());
    return pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** NODE_OPTIONS and settings that load the CPU-profile and Kafka request-count hooks into each service. */
function serviceHooks(cpuProfDir: string | null, kafkaRequestsDir: string | null): Record<string, string> {
  const env: Record<string, string> = {};
  const requires: string[] = [];
  if (cpuProfDir) {
    requires.push(resolve(repoRoot, 'tools/bench/cpu-profile-hook.js'));
    env.HERALD_CPU_PROFILE_DIR = resolve(cpuProfDir);
  }
  if (kafkaRequestsDir) {
    requires.push(resolve(repoRoot, 'tools/kafka/request-count-hook.js'));
    env.HERALD_KAFKA_REQUEST_DIR = resolve(kafkaRequestsDir);
    env.HERALD_KAFKA_REQUEST_INTERVAL_MS = String(HOOK_INTERVAL_MS);
  }
  if (requires.length > 0) env.NODE_OPTIONS = requires.map((file) => `--require ${file}`).join(' ');
  return env;
}

async function main(): Promise<number> {
  if (process.argv.includes('--help')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const options = parseBenchArgs(process.argv.slice(2));
  const log = (line: string) => process.stdout.write(`[bench] ${line}\n`);
  log(
    `the phases' windows add up to ${Math.round(plannedWindowSeconds(options) / 6) / 10} min (start-up, set-up and drains come on top)`,
  );
  // "Contended" is judged before the bench starts any process of its own.
  log('sampling the machine before starting anything');
  const machine = await machineAtStart();
  if (machine.contended)
    log(`other work keeps ${machine.busyCoresAtStart} cores busy: figures will be marked as taken under contention`);
  const home = heraldHome('bench');
  // The broker JITs as production brokers do (the JVM's default, C1 then C2); kafka.sh's own default,
  // C1 only, suits brokers that live minutes. The result names the mode.
  process.env.KAFKA_JIT ??= 'tiered';
  // Counts from an earlier run's processes would be read as services of this one.
  if (options.kafkaRequestsDir) rmSync(resolve(options.kafkaRequestsDir), { recursive: true, force: true });
  // Fresh data every run (the resolved Kafka jars are kept), so runs are comparable.
  for (const dir of ['kafka/data', 'kafka/cluster.id', 'kafka/meta', 'postgres', 'logs']) {
    rmSync(resolve(home, dir), { recursive: true, force: true });
  }
  log(`starting Kafka and PostgreSQL in ${home}`);
  let infra: Infra | null = null;
  let stack: Stack | null = null;
  let publisher: EventPublisher | null = null;
  const fleet = new ReceiverFleet({ servers: options.servers, verifyEvery: options.verifyEvery });
  let stopping = false;
  const cleanUp = async () => {
    if (stopping) return;
    stopping = true;
    await publisher?.disconnect().catch(() => undefined);
    await stack?.stop();
    await fleet.stop();
    await infra?.stop();
  };
  process.once('SIGINT', () => void cleanUp().then(() => process.exit(130)));
  try {
    infra = await startInfra({
      home,
      kafkaPort: envPort('HERALD_BENCH_KAFKA_PORT', BENCH_PORTS.kafka),
      kafkaControllerPort: envPort('HERALD_BENCH_KAFKA_CONTROLLER_PORT', BENCH_PORTS.kafkaController),
      postgresPort: envPort('HERALD_BENCH_POSTGRES_PORT', BENCH_PORTS.postgres),
      database: 'herald_bench',
    });
    const adminApiKey = `hk_bench_${randomBytes(12).toString('hex')}`;
    log('starting the five services');
    stack = await startStack({
      brokers: infra.brokers,
      databaseUrl: infra.databaseUrl,
      adminApiKey,
      topicPrefix: TOPIC_PREFIX,
      logDir: resolve(home, 'logs'),
      // On a machine shared with other work a service can take minutes just to load.
      readyTimeoutMs: 300_000,
      env: {
        '*': {
          LOG_LEVEL: 'warn',
          KAFKA_TOPIC_PARTITIONS: String(options.partitions),
          ...serviceHooks(options.cpuProfDir, options.kafkaRequestsDir),
        },
        // The receivers are on loopback, which Herald refuses unless allow-listed.
        'subscription-api': { WEBHOOK_URL_ALLOWED_CIDRS: '127.0.0.0/8' },
        deliverer: {
          DELIVERY_CONCURRENCY: String(options.deliveryConcurrency),
          DELIVERY_ENDPOINT_CONCURRENCY: String(options.endpointConcurrency),
          DELIVERY_ENDPOINT_RATE_PER_SECOND: String(options.endpointRate),
          DELIVERY_ALLOWED_CIDRS: '127.0.0.0/8',
        },
      },
    });
    await fleet.start();
    publisher = new EventPublisher(infra.brokers, `${TOPIC_PREFIX}webhooks.ingest`);
    await publisher.connect();
    const roots: Record<string, ProcessRoot> = {};
    for (const name of SERVICE_NAMES) {
      const pid = stack.services[name].pid;
      if (pid) roots[name] = { pids: [pid], tree: true };
    }
    const kafkaPid = pidFrom(resolve(home, 'kafka/kafka.pid'));
    const postgresPid = pidFrom(resolve(home, 'postgres/postmaster.pid'));
    if (kafkaPid) roots.kafka = { pids: [kafkaPid], tree: true };
    // The postmaster and its backends.
    if (postgresPid) roots.postgresql = { pids: [postgresPid], tree: true };
    // This process started all the others: itself only (publisher and orchestration).
    roots[HARNESS.bench] = { pids: [process.pid], tree: false };
    roots[HARNESS.receivers] = { pids: fleet.pids, tree: false };
    const cost = new CostMonitor(roots);
    cost.start();
    const ctx: BenchContext = {
      options,
      fleet,
      publisher,
      apiUrl: stack.services['subscription-api'].url,
      adminApiKey,
      databaseUrl: infra.databaseUrl,
      cost,
      log,
    };
    const result = await runBench(ctx, machine);
    cost.stop();
    const report = markdownReport(result);
    process.stdout.write(`\n${report}\n`);
    if (options.outDir) {
      const dir = resolve(repoRoot, options.outDir);
      mkdirSync(dir, { recursive: true });
      const base = `${result.date.slice(0, 10)}${options.quick ? '-quick' : ''}`;
      writeFileSync(resolve(dir, `${base}.json`), `${JSON.stringify(result, null, 2)}\n`);
      writeFileSync(resolve(dir, `${base}.md`), report);
      const series = [...result.lowRate, result.latency, result.isolation]
        .filter((r) => r !== null)
        .map((r) => ({ name: `${r.name} @ ${r.ratePerSecond} events/s`, curve: r.curve }));
      if (series.length > 0) writeFileSync(resolve(dir, `${base}-latency.svg`), latencyChartSvg(series));
      log(`results written to ${options.outDir}/${base}.{json,md}${series.length ? ` and ${base}-latency.svg` : ''}`);
    }
    if (!result.allConfirmed) {
      process.stderr.write(
        'bench: not every delivery was confirmed by the receivers and audit-log (see "lost" and "audit")\n',
      );
      return 1;
    }
    return 0;
  } finally {
    await cleanUp();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`bench failed: ${(error as Error | undefined)?.stack ?? String(error)}\n`);
    process.exit(1);
  },
);
