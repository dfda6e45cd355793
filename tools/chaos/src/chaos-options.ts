import type { ChaosPorts } from './chaos-infra';
import type { FaultPlanOptions } from './fault-plan';

export interface ChaosOptions {
  form: 'full' | 'short';
  seed: number;
  /** Where the run's Kafka, PostgreSQL and service logs live (wiped at start). */
  home: string;
  ports: ChaosPorts;
  eventsPerSecond: number;
  /** Kafka brokers: 1 (one node, restarted as a fault) or a KRaft cluster with broker faults. */
  brokers: number;
  /** Instances of every service kept up during the run. */
  replicas: number;
  /** Tenants the load spreads over (each with the same webhooks), so keyed topics split over partitions. */
  tenants: number;
  /** Partitions of the topics Herald creates. */
  partitions: number;
  /** Where the rate came from, for the result file. */
  rateSource?: string;
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

const runBasics = ({ seed, home, ports, log }: Pick<ChaosOptions, 'home' | 'ports' | 'seed' | 'log'>) => ({
  seed,
  home,
  ports,
  log,
});

/**
 * The full form (≤ 15 minutes): every service killed in turn, two pairs killed together, the
 * broker and the database restarted, a rebalance, under 10 events/s.
 */
export function fullChaosOptions(
  base: Pick<ChaosOptions, 'home' | 'ports' | 'seed' | 'log'> & { flapping: boolean },
): ChaosOptions {
  return {
    form: 'full',
    ...runBasics(base),
    eventsPerSecond: 10,
    brokers: 1,
    replicas: 1,
    tenants: 1,
    partitions: 3,
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
    ...runBasics(base),
    eventsPerSecond: 5,
    brokers: 1,
    replicas: 1,
    tenants: 1,
    partitions: 3,
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

/**
 * The cluster form (`--brokers 3`): a 3-node KRaft cluster (replication factor 3, min.insync.replicas 2),
 * two instances of every service, four tenants, and a load of `eventsPerSecond` (half the bench maximum by
 * default). Faults: each service's instances SIGKILLed in turn, the busiest leader broker and the active
 * controller SIGKILLed, a rolling restart, a paused broker, a PostgreSQL restart, flapping receivers.
 */
export function clusterChaosOptions(
  base: Pick<ChaosOptions, 'home' | 'ports' | 'seed' | 'log' | 'eventsPerSecond' | 'rateSource'> & {
    flapping: boolean;
    brokers: number;
    replicas: number;
  },
): ChaosOptions {
  return {
    form: 'full',
    ...runBasics(base),
    eventsPerSecond: base.eventsPerSecond,
    rateSource: base.rateSource,
    brokers: base.brokers,
    replicas: base.replicas,
    tenants: 4,
    partitions: 6,
    warmupMs: 30_000,
    faultGapMs: [10_000, 15_000],
    faultPhaseMaxMs: 25 * 60_000,
    drainTimeoutMs: 10 * 60_000,
    plan: {
      killEachService: true,
      killCount: 5,
      pairKills: 0,
      kafkaRestarts: 0,
      postgresRestarts: 1,
      rebalances: 0,
      flapping: base.flapping,
      downMs: [3_000, 8_000],
      rebalanceStayMs: 0,
      flappingMs: 60_000,
      brokerFaults: true,
      brokerPauseMs: 8_000,
      replicas: base.replicas,
    },
  };
}
