import type { ChaosPorts } from './chaos-infra';
import type { FaultPlanOptions } from './fault-plan';

export interface ChaosOptions {
  form: 'full' | 'short';
  seed: number;
  /** Where the run's Kafka, PostgreSQL and service logs live (wiped at start). */
  home: string;
  ports: ChaosPorts;
  eventsPerSecond: number;
  /** Load before the first fault. */
  warmupMs: number;
  /** Pause between two faults, drawn from this range. */
  faultGapMs: [number, number];
  /** No fault starts after this much of the run (so the whole run stays bounded). */
  faultPhaseMaxMs: number;
  /** After the load stops: how long the pipeline may take to deliver the rest. */
  drainTimeoutMs: number;
  plan: FaultPlanOptions;
  log: (line: string) => void;
}

/** Defaults apart from `npm start`'s (9092/9093/54329) and `npm test`'s (19092/19093/54339). */
export const DEFAULT_CHAOS_PORTS: ChaosPorts = { kafka: 19192, kafkaController: 19193, postgres: 54359 };

/** Ports from CHAOS_KAFKA_PORT, CHAOS_KAFKA_CONTROLLER_PORT, CHAOS_POSTGRES_PORT, else the defaults. */
export function chaosPortsFromEnv(env: NodeJS.ProcessEnv = process.env): ChaosPorts {
  const port = (name: string, fallback: number) => {
    const value = env[name];
    if (value === undefined || value === '') return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`${name} must be a TCP port (1-65535)`);
    return n;
  };
  return {
    kafka: port('CHAOS_KAFKA_PORT', DEFAULT_CHAOS_PORTS.kafka),
    kafkaController: port('CHAOS_KAFKA_CONTROLLER_PORT', DEFAULT_CHAOS_PORTS.kafkaController),
    postgres: port('CHAOS_POSTGRES_PORT', DEFAULT_CHAOS_PORTS.postgres),
  };
}

/**
 * The full form (≤ 15 minutes): every service killed in turn, two pairs killed together, the
 * broker and the database restarted, a rebalance, under 10 events/s.
 */
export function fullChaosOptions(
  base: Pick<ChaosOptions, 'home' | 'ports' | 'seed' | 'log'> & { flapping: boolean },
): ChaosOptions {
  return {
    form: 'full',
    seed: base.seed,
    home: base.home,
    ports: base.ports,
    log: base.log,
    eventsPerSecond: 10,
    warmupMs: 10_000,
    // Each fault itself lasts 30-90 s (a restarted consumer waits out its dead predecessor's
    // session), so short gaps keep all eleven inside the fault phase.
    faultGapMs: [5_000, 12_000],
    faultPhaseMaxMs: 10 * 60_000,
    drainTimeoutMs: 150_000,
    plan: {
      killEachService: true,
      killCount: 5,
      pairKills: 2,
      kafkaRestarts: 1,
      postgresRestarts: 1,
      rebalances: 1,
      flapping: base.flapping,
      downMs: [2_000, 8_000],
      rebalanceStayMs: 20_000,
      flappingMs: 60_000,
    },
  };
}

/**
 * The short form run by `npm test` (about four minutes). A restarted consumer waits out its dead
 * predecessor's group session (about 30 s), which sets the pace.
 */
export function shortChaosOptions(
  base: Pick<ChaosOptions, 'home' | 'ports' | 'seed' | 'log'> & { flapping: boolean },
): ChaosOptions {
  return {
    form: 'short',
    seed: base.seed,
    home: base.home,
    ports: base.ports,
    log: base.log,
    eventsPerSecond: 5,
    warmupMs: 5_000,
    faultGapMs: [3_000, 6_000],
    faultPhaseMaxMs: 180_000,
    drainTimeoutMs: 90_000,
    plan: {
      killEachService: false,
      killCount: 0,
      pairKills: 1,
      kafkaRestarts: 1,
      postgresRestarts: 1,
      rebalances: 1,
      flapping: base.flapping,
      downMs: [1_000, 3_000],
      rebalanceStayMs: 10_000,
      flappingMs: 15_000,
    },
  };
}
