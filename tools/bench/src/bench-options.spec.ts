import { DEFAULT_OPTIONS, parseBenchArgs, plannedWindowSeconds } from './bench-options';
import { FilterableEvent, compileEventFilter } from '@herald/event-filter';
import { BENCH_FILTER, benchEvent } from './payload';

describe('parseBenchArgs', () => {
  it('uses the full run by default and short phases with --quick', () => {
    expect(parseBenchArgs([])).toEqual(DEFAULT_OPTIONS);
    const quick = parseBenchArgs(['--quick']);
    expect(quick.quick).toBe(true);
    expect(quick.durationMs).toBeLessThan(DEFAULT_OPTIONS.durationMs);
  });

  it('reads the scale knobs', () => {
    const options = parseBenchArgs([
      '--partitions',
      '6',
      '--delivery-concurrency',
      '128',
      '--duration',
      '2.5',
      '--fanouts',
      '1,5',
      '--rate',
      '300',
      '--no-isolation',
      '--endpoint-rate',
      '0',
    ]);
    expect(options).toMatchObject({
      partitions: 6,
      deliveryConcurrency: 128,
      durationMs: 2500,
      fanouts: [1, 5],
      latencyRate: 300,
      isolation: false,
      endpointRate: 0,
    });
  });

  it('reads the idle and low-rate windows and leaves phases out', () => {
    const options = parseBenchArgs([
      '--idle',
      '30',
      '--low-rate-duration',
      '20',
      '--one-rate-duration',
      '120',
      '--no-baseline',
    ]);
    expect(options).toMatchObject({
      idleMs: 30000,
      lowRateDurationMs: 20000,
      oneRateDurationMs: 120000,
      baseline: false,
      idle: true,
    });
    expect(parseBenchArgs(['--no-idle', '--no-low-rate'])).toMatchObject({ idle: false, lowRate: false });
    expect(parseBenchArgs(['--quick']).idleMs).toBeLessThan(DEFAULT_OPTIONS.idleMs);
  });

  it('runs the idle phase alone with --idle-only, writing results only where --out says', () => {
    const options = parseBenchArgs(['--idle-only', '--idle', '20']);
    expect(options).toMatchObject({
      idle: true,
      idleMs: 20000,
      baseline: false,
      fanouts: [],
      lowRate: false,
      latency: false,
      isolation: false,
      outDir: null,
    });
    expect(plannedWindowSeconds(options)).toBe((DEFAULT_OPTIONS.idleSettleMs + 20000) / 1000);
    expect(parseBenchArgs(['--out', 'tmp/idle', '--idle-only']).outDir).toBe('tmp/idle');
  });

  it('runs the low-rate phases alone with --low-rate-only, counting Kafka requests where asked', () => {
    const options = parseBenchArgs(['--low-rate-only', '--no-one-rate', '--kafka-requests', '/tmp/req']);
    expect(options).toMatchObject({
      idle: false,
      baseline: false,
      fanouts: [],
      lowRate: true,
      oneRate: false,
      latency: false,
      isolation: false,
      outDir: null,
      kafkaRequestsDir: '/tmp/req',
    });
    // The stack warm-up runs first here too: the low-rate phases go through Kafka.
    expect(plannedWindowSeconds(options)).toBe(
      (DEFAULT_OPTIONS.stackWarmupMs + 2 * DEFAULT_OPTIONS.lowRateWarmupMs + 2 * DEFAULT_OPTIONS.lowRateDurationMs) /
        1000,
    );
    expect(() => parseBenchArgs(['--low-rate-only', '--idle-only'])).toThrow('exclude each other');
    expect(() => parseBenchArgs(['--kafka-requests'])).toThrow('--kafka-requests needs a value');
  });

  it('names the flag that is wrong', () => {
    expect(() => parseBenchArgs(['--partitions', 'many'])).toThrow(
      '--partitions must be a positive number, got "many"',
    );
    expect(() => parseBenchArgs(['--fanouts', '1,x'])).toThrow('--fanouts takes positive integers');
    expect(() => parseBenchArgs(['--duration'])).toThrow('--duration needs a value');
    expect(() => parseBenchArgs(['--fast'])).toThrow('unknown flag --fast');
    expect(() => parseBenchArgs(['--idle', '0'])).toThrow('--idle must be a positive number, got "0"');
    expect(() => parseBenchArgs(['--endpoint-rate', '-1'])).toThrow('--endpoint-rate must be 0 or a positive integer');
  });

  it('plans a full run whose windows leave room for start-up and drains within 20 minutes', () => {
    // idle 70 + baseline 36 + stack warm-up 60 + throughput 160 + low rate 195 + latency and isolation 80.
    expect(plannedWindowSeconds(DEFAULT_OPTIONS)).toBe(601);
    expect(plannedWindowSeconds(parseBenchArgs(['--quick']))).toBeLessThan(plannedWindowSeconds(DEFAULT_OPTIONS) / 3);
    expect(plannedWindowSeconds(parseBenchArgs(['--no-idle', '--no-low-rate']))).toBe(601 - 70 - 195);
    expect(plannedWindowSeconds(parseBenchArgs(['--stack-warmup', '0']))).toBe(601 - 60);
  });

  it('reads the stack warm-up in seconds, 0 for none, and refuses anything else', () => {
    expect(DEFAULT_OPTIONS.stackWarmupMs).toBe(60000);
    expect(parseBenchArgs(['--stack-warmup', '90']).stackWarmupMs).toBe(90000);
    expect(parseBenchArgs(['--stack-warmup', '0']).stackWarmupMs).toBe(0);
    expect(parseBenchArgs(['--quick']).stackWarmupMs).toBeLessThan(DEFAULT_OPTIONS.stackWarmupMs);
    expect(() => parseBenchArgs(['--stack-warmup', '-5'])).toThrow(
      '--stack-warmup must be 0 or a positive integer, got "-5"',
    );
    // Nothing goes through Kafka in an idle-only run: no warm-up in its plan.
    expect(plannedWindowSeconds(parseBenchArgs(['--idle-only']))).toBe(
      (DEFAULT_OPTIONS.idleSettleMs + DEFAULT_OPTIONS.idleMs) / 1000,
    );
  });

  it('--filter gives every fan-out webhook a filter that compiles and accepts every bench event', () => {
    expect(parseBenchArgs([]).filter).toBe(false);
    expect(parseBenchArgs(['--quick', '--filter']).filter).toBe(true);
    // Full and quick runs measure the headline phase a second time, filtered, unless told not to.
    expect(parseBenchArgs(['--quick']).filterTwin).toBe(true);
    expect(parseBenchArgs(['--no-filter-twin']).filterTwin).toBe(false);
    const filter = compileEventFilter(BENCH_FILTER);
    const event = benchEvent('evt_1', 7, 'bench-p-t0', 1024);
    const envelope = { ...event, receivedAt: event.occurredAt, source: 'http', schemaVersion: 1 };
    expect(filter.matches(new FilterableEvent(envelope))).toBe(true);
  });
});
