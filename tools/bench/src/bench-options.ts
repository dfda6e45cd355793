import { cpus } from 'node:os';

export interface BenchOptions {
  quick: boolean;
  /** Partitions of every Herald topic (KAFKA_TOPIC_PARTITIONS). */
  partitions: number;
  /** Deliveries in flight per partition in the deliverer (DELIVERY_CONCURRENCY). */
  deliveryConcurrency: number;
  /** Per-endpoint cap on requests in flight (DELIVERY_ENDPOINT_CONCURRENCY; Herald's default is 10). */
  endpointConcurrency: number;
  /** Per-endpoint requests/s, 0 = unlimited (DELIVERY_ENDPOINT_RATE_PER_SECOND; Herald's default is 50). */
  endpointRate: number;
  /** Events per produce request of the bench's publisher (also capped at ~512 KiB). */
  publishBatch: number;
  /** Deliveries allowed outstanding (published, not yet received) in throughput phases. */
  maxInFlight: number;
  warmupMs: number;
  durationMs: number;
  fanouts: number[];
  payloads: number[];
  /** Tenants per phase; each has `fanout` webhooks, events go round-robin over tenants. */
  tenants: number;
  /** Open-loop rate (events/s) of the latency runs; default half the measured maximum. */
  latencyRate: number | null;
  latency: boolean;
  isolation: boolean;
  baseline: boolean;
  baselineConcurrency: number;
  /** The baseline's windows are capped at these (it settles fast and needs no 30 s). */
  baselineWarmupMs: number;
  baselineDurationMs: number;
  /**
   * Unmeasured traffic (fan-out 10, each payload in turn) before the first measured phase that goes
   * through Kafka: the broker's tiered JIT (C2) and the services' V8 compile their hot paths first,
   * as in a stack that has served traffic for a while. 0: none.
   */
  stackWarmupMs: number;
  /** Issue 20's idle phase: the stack up, no traffic; settling time, then the measured window. */
  idle: boolean;
  idleSettleMs: number;
  idleMs: number;
  /** Low-rate phases: 1 event/s (fan-out 1), 45 events/s (fan-out 1), 11 events/s (fan-out 10). */
  lowRate: boolean;
  /** The 1 event/s phase of the low-rate set (the longest; `--no-one-rate` leaves it out). */
  oneRate: boolean;
  lowRateWarmupMs: number;
  /** Measured window of the 45 and 11 events/s phases. */
  lowRateDurationMs: number;
  /** Measured window of the 1 event/s phase (one sample a second: p99 needs ~100). */
  oneRateDurationMs: number;
  /** Receiver processes (one HTTP server each). */
  servers: number;
  /** Verify the signature of one request in this many. */
  verifyEvery: number;
  drainTimeoutMs: number;
  /** Where results go (bench/results). */
  outDir: string | null;
  /** Write a V8 CPU profile of every service here (node --cpu-prof), to find the hottest stage. */
  cpuProfDir: string | null;
  /** Count each service's Kafka requests (tools/kafka/request-count-hook.js) into this directory. */
  kafkaRequestsDir: string | null;
  /** Give every webhook of the fan-out phases a payload filter that accepts every bench event. */
  filter: boolean;
  /** Run the headline fan-out phase a second time with a payload filter on every webhook, reported next to it. */
  filterTwin: boolean;
}

const QUICK: Partial<BenchOptions> = {
  warmupMs: 2000,
  durationMs: 6000,
  drainTimeoutMs: 30000,
  idleSettleMs: 2000,
  idleMs: 10000,
  lowRateWarmupMs: 2000,
  lowRateDurationMs: 6000,
  oneRateDurationMs: 10000,
  stackWarmupMs: 20000,
};
const FULL = {
  warmupMs: 10000,
  durationMs: 30000,
  drainTimeoutMs: 60000,
  idleSettleMs: 10000,
  idleMs: 60000,
  lowRateWarmupMs: 5000,
  lowRateDurationMs: 40000,
  oneRateDurationMs: 100000,
  stackWarmupMs: 60000,
};

/** `--idle-only`: every phase but the idle one left out (issue 20's measurement in 1-2 minutes). */
const IDLE_ONLY: Partial<BenchOptions> = {
  idle: true,
  baseline: false,
  fanouts: [],
  lowRate: false,
  latency: false,
  isolation: false,
};

/** `--low-rate-only`: only the low-rate phases (issue 20's CPU per delivery at 45 and 11 events/s). */
const LOW_RATE_ONLY: Partial<BenchOptions> = {
  idle: false,
  baseline: false,
  fanouts: [],
  lowRate: true,
  latency: false,
  isolation: false,
};

export const DEFAULT_OPTIONS: BenchOptions = {
  quick: false,
  partitions: 3,
  deliveryConcurrency: 64,
  // The platform's ceiling, not the per-endpoint politeness limits: a few bench endpoints carry
  // what thousands of real ones would.
  endpointConcurrency: 64,
  endpointRate: 0,
  publishBatch: 200,
  maxInFlight: 4000,
  ...FULL,
  fanouts: [1, 10],
  payloads: [1024, 16384],
  tenants: 4,
  latencyRate: null,
  latency: true,
  isolation: true,
  baseline: true,
  baselineConcurrency: 64,
  baselineWarmupMs: 3000,
  baselineDurationMs: 15000,
  idle: true,
  lowRate: true,
  oneRate: true,
  // One receiver process per core (up to 4): never the bound, and their CPU is reported apart.
  servers: Math.max(1, Math.min(4, cpus().length)),
  verifyEvery: 50,
  outDir: 'bench/results',
  cpuProfDir: null,
  kafkaRequestsDir: null,
  filter: false,
  filterTwin: true,
};

export const USAGE = `npm run bench -- [flags]
  --quick                  short phases (finishes in a few minutes)
  --partitions N           partitions of Herald's topics (3)
  --delivery-concurrency N deliveries in flight per partition in the deliverer (64)
  --endpoint-concurrency N per-endpoint requests in flight (64; Herald's default 10)
  --endpoint-rate N        per-endpoint requests/s, 0 = unlimited (0; Herald's default 50)
  --publish-batch N        events per produce request of the bench publisher (200)
  --max-in-flight N        outstanding deliveries in throughput phases (4000)
  --warmup S               warm-up seconds per phase (10; quick 2)
  --duration S             measured seconds per phase (30; quick 6)
  --fanouts 1,10           fan-outs of the throughput phases
  --payloads 1024,16384    webhook body sizes in bytes
  --tenants N              tenants per phase (4)
  --rate N                 open-loop events/s of the latency runs (half the measured maximum)
  --baseline-concurrency N concurrent POST loops of the baseline (64)
  --servers N              receiver processes (one per core, at most 4)
  --idle S                 measured seconds of the idle phase (60; quick 10)
  --low-rate-duration S    measured seconds at 45 and 11 events/s (40; quick 6)
  --one-rate-duration S    measured seconds at 1 event/s (100; quick 10)
  --stack-warmup S         unmeasured fan-out 10 traffic before the first Kafka phase, split over the
                           payloads: the broker's C2 and the services' V8 compile first (60; quick 20; 0: none)
  --verify-every N         verify the signature of 1 request in N (50)
  --no-latency --no-isolation --no-baseline --no-idle --no-low-rate   leave a part out
  --filter                 a payload filter (accepting every event) on every webhook of the fan-out phases
  --no-filter-twin         skip the headline fan-out phase's second run with a filter on every webhook
  --idle-only              only the idle phase (no webhooks, no traffic); results are not written unless --out
  --low-rate-only          only the low-rate phases (1, 45 and 11 events/s); results are not written unless --out
  --no-one-rate            leave the 1 event/s low-rate phase out (the longest)
  --kafka-requests DIR     count each service's Kafka requests (by API and consumer group) into DIR and
                           report requests per event of each latency phase
  --out DIR                results directory (bench/results)
  --cpu-prof DIR           write a V8 CPU profile of each service into DIR (node --cpu-prof)
npm run bench -- --hops [--rate N] [--count N] [--fanout N] [--partitions N]
                           per-hop latency (ingest, matcher, deliverer) at a low open-loop rate`;

const VALUE_FLAGS = new Set(
  [
    'partitions',
    'delivery-concurrency',
    'endpoint-concurrency',
    'endpoint-rate',
    'publish-batch',
    'max-in-flight',
    'warmup',
    'duration',
    'fanouts',
    'payloads',
    'tenants',
    'rate',
    'baseline-concurrency',
    'servers',
    'verify-every',
    'out',
    'cpu-prof',
    'kafka-requests',
    'idle',
    'low-rate-duration',
    'one-rate-duration',
    'stack-warmup',
  ].map((f) => `--${f}`),
);

const numberList = (flag: string, value: string) =>
  value.split(',').map((v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0)
      throw new Error(`${flag} takes positive integers separated by commas, got "${value}"`);
    return n;
  });

/** Parses `npm run bench` arguments; throws an Error naming the flag on bad input. */
export function parseBenchArgs(argv: string[]): BenchOptions {
  const quick = argv.includes('--quick');
  const options: BenchOptions = { ...DEFAULT_OPTIONS, ...(quick ? QUICK : {}), quick };
  // An idle-only run must not overwrite the day's full result: it writes only where --out says.
  if (argv.includes('--idle-only')) Object.assign(options, IDLE_ONLY, { outDir: null } satisfies Partial<BenchOptions>);
  if (argv.includes('--low-rate-only'))
    Object.assign(options, LOW_RATE_ONLY, { outDir: null } satisfies Partial<BenchOptions>);
  if (argv.includes('--idle-only') && argv.includes('--low-rate-only'))
    throw new Error('--idle-only and --low-rate-only exclude each other');
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--quick' || flag === '--idle-only' || flag === '--low-rate-only') continue;
    if (flag === '--no-latency') options.latency = false;
    else if (flag === '--no-isolation') options.isolation = false;
    else if (flag === '--no-baseline') options.baseline = false;
    else if (flag === '--no-idle') options.idle = false;
    else if (flag === '--no-low-rate') options.lowRate = false;
    else if (flag === '--no-one-rate') options.oneRate = false;
    else if (flag === '--filter') options.filter = true;
    else if (flag === '--no-filter-twin') options.filterTwin = false;
    else {
      if (!VALUE_FLAGS.has(flag)) throw new Error(`unknown flag ${flag}\n${USAGE}`);
      const value = argv[++i];
      if (value === undefined) throw new Error(`${flag} needs a value`);
      const nonNegative = () => {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} must be 0 or a positive integer, got "${value}"`);
        return n;
      };
      const positive = (scale = 1) => {
        const n = Number(value);
        if (!Number.isFinite(n) || n <= 0) throw new Error(`${flag} must be a positive number, got "${value}"`);
        return Math.round(n * scale);
      };
      switch (flag) {
        case '--partitions':
          options.partitions = positive();
          break;
        case '--delivery-concurrency':
          options.deliveryConcurrency = positive();
          break;
        case '--endpoint-concurrency':
          options.endpointConcurrency = positive();
          break;
        case '--endpoint-rate':
          options.endpointRate = nonNegative();
          break;
        case '--publish-batch':
          options.publishBatch = positive();
          break;
        case '--max-in-flight':
          options.maxInFlight = positive();
          break;
        case '--warmup':
          options.warmupMs = positive(1000);
          break;
        case '--duration':
          options.durationMs = positive(1000);
          break;
        case '--fanouts':
          options.fanouts = numberList(flag, value);
          break;
        case '--payloads':
          options.payloads = numberList(flag, value);
          break;
        case '--tenants':
          options.tenants = positive();
          break;
        case '--rate':
          options.latencyRate = positive();
          break;
        case '--baseline-concurrency':
          options.baselineConcurrency = positive();
          break;
        case '--servers':
          options.servers = positive();
          break;
        case '--verify-every':
          options.verifyEvery = positive();
          break;
        case '--cpu-prof':
          options.cpuProfDir = value;
          break;
        case '--kafka-requests':
          options.kafkaRequestsDir = value;
          break;
        case '--idle':
          options.idleMs = positive(1000);
          break;
        case '--low-rate-duration':
          options.lowRateDurationMs = positive(1000);
          break;
        case '--one-rate-duration':
          options.oneRateDurationMs = positive(1000);
          break;
        case '--stack-warmup':
          options.stackWarmupMs = nonNegative() * 1000;
          break;
        default:
          options.outDir = value;
      }
    }
  }
  return options;
}

/**
 * Seconds the phases' windows add up to (start-up, webhook set-up and drains come on top): the
 * full run must stay within 20 minutes on the project's 2-core machine.
 */
export function plannedWindowSeconds(o: BenchOptions): number {
  const throughput = o.fanouts.length * o.payloads.length * (o.warmupMs + o.durationMs);
  const baseline = o.baseline
    ? o.payloads.length * (Math.min(o.warmupMs, o.baselineWarmupMs) + Math.min(o.durationMs, o.baselineDurationMs))
    : 0;
  const idle = o.idle ? o.idleSettleMs + o.idleMs : 0;
  const warmup = usesKafka(o) ? o.stackWarmupMs : 0;
  const lowRate = o.lowRate
    ? (o.oneRate ? 3 : 2) * o.lowRateWarmupMs + 2 * o.lowRateDurationMs + (o.oneRate ? o.oneRateDurationMs : 0)
    : 0;
  const latency = (o.latency ? 1 : 0) + (o.isolation && o.fanouts.some((f) => f >= 10) ? 1 : 0);
  return Math.round((throughput + baseline + idle + warmup + lowRate + latency * (o.warmupMs + o.durationMs)) / 1000);
}

/** Whether any phase sends traffic through Kafka (the stack warm-up runs only then). */
export function usesKafka(o: BenchOptions): boolean {
  return o.fanouts.length > 0 || o.lowRate || o.latency || o.isolation;
}
