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
  /** Receiver HTTP servers (ports). */
  servers: number;
  /** Verify the signature of one request in this many. */
  verifyEvery: number;
  drainTimeoutMs: number;
  /** Where results go (bench/results). */
  outDir: string | null;
  /** Write a V8 CPU profile of every service here (node --cpu-prof), to find the hottest stage. */
  cpuProfDir: string | null;
}

const QUICK: Partial<BenchOptions> = { warmupMs: 2000, durationMs: 6000, drainTimeoutMs: 30000 };
const FULL: Partial<BenchOptions> = { warmupMs: 10000, durationMs: 30000, drainTimeoutMs: 60000 };

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
  warmupMs: FULL.warmupMs!,
  durationMs: FULL.durationMs!,
  fanouts: [1, 10],
  payloads: [1024, 16384],
  tenants: 4,
  latencyRate: null,
  latency: true,
  isolation: true,
  baseline: true,
  baselineConcurrency: 64,
  servers: 4,
  verifyEvery: 50,
  drainTimeoutMs: FULL.drainTimeoutMs!,
  outDir: 'bench/results',
  cpuProfDir: null,
};

export const USAGE = `npm run bench -- [flags]
  --quick                  short phases (finishes in under 3 minutes)
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
  --servers N              receiver ports (4)
  --verify-every N         verify the signature of 1 request in N (50)
  --no-latency --no-isolation --no-baseline   leave a part out
  --out DIR                results directory (bench/results)
  --cpu-prof DIR           write a V8 CPU profile of each service into DIR (node --cpu-prof)`;

const VALUE_FLAGS = new Set(
  ['partitions', 'delivery-concurrency', 'endpoint-concurrency', 'endpoint-rate', 'publish-batch', 'max-in-flight', 'warmup', 'duration', 'fanouts', 'payloads', 'tenants', 'rate', 'baseline-concurrency', 'servers', 'verify-every', 'out', 'cpu-prof'].map((f) => `--${f}`),
);

const numberList = (flag: string, value: string) =>
  value.split(',').map((v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} takes positive integers separated by commas, got "${value}"`);
    return n;
  });

/** Parses `npm run bench` arguments; throws an Error naming the flag on bad input. */
export function parseBenchArgs(argv: string[]): BenchOptions {
  const quick = argv.includes('--quick');
  const options: BenchOptions = { ...DEFAULT_OPTIONS, ...(quick ? QUICK : {}), quick };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--quick') continue;
    if (flag === '--no-latency') options.latency = false;
    else if (flag === '--no-isolation') options.isolation = false;
    else if (flag === '--no-baseline') options.baseline = false;
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
        case '--partitions': options.partitions = positive(); break;
        case '--delivery-concurrency': options.deliveryConcurrency = positive(); break;
        case '--endpoint-concurrency': options.endpointConcurrency = positive(); break;
        case '--endpoint-rate': options.endpointRate = nonNegative(); break;
        case '--publish-batch': options.publishBatch = positive(); break;
        case '--max-in-flight': options.maxInFlight = positive(); break;
        case '--warmup': options.warmupMs = positive(1000); break;
        case '--duration': options.durationMs = positive(1000); break;
        case '--fanouts': options.fanouts = numberList(flag, value); break;
        case '--payloads': options.payloads = numberList(flag, value); break;
        case '--tenants': options.tenants = positive(); break;
        case '--rate': options.latencyRate = positive(); break;
        case '--baseline-concurrency': options.baselineConcurrency = positive(); break;
        case '--servers': options.servers = positive(); break;
        case '--verify-every': options.verifyEvery = positive(); break;
        case '--cpu-prof': options.cpuProfDir = value; break;
        default: options.outDir = value;
      }
    }
  }
  return options;
}
