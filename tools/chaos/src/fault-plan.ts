import { SERVICE_NAMES, type ServiceName } from '@herald/stack';

export type Fault =
  | { kind: 'kill'; services: ServiceName[]; downMs: number }
  | { kind: 'kafka-restart'; downMs: number }
  | { kind: 'postgres-restart'; downMs: number }
  | { kind: 'rebalance'; stayMs: number }
  | { kind: 'flapping'; durationMs: number }
  /** SIGKILL of the broker leading the most partitions of the deliveries topic, restarted after downMs. */
  | { kind: 'broker-kill-leader'; downMs: number }
  /** SIGKILL of the active KRaft controller, restarted after downMs. */
  | { kind: 'controller-kill'; downMs: number }
  /** Every broker stopped and started in turn, each waiting for all partitions back in sync. */
  | { kind: 'rolling-restart' }
  /** SIGSTOP of one broker for pauseMs, then SIGCONT: a broker that stops answering without dying. */
  | { kind: 'broker-pause'; pauseMs: number };

/** What happened to one fault, as written to the result file. */
export interface FaultRecord {
  kind: Fault['kind'];
  target: string;
  /** Seconds since the load started. */
  atS: number;
  durationS: number;
  ok: boolean;
  /** What was hit, e.g. `node 2 led 4 of 6 partitions`. */
  detail?: string;
  /** 2xx answers beyond a pair's first, received from this fault's start until the next fault's. */
  duplicates?: number;
  /** Expected deliveries never confirmed whose event was sent from this fault's start until the next fault's. */
  lost?: number;
  /** Delivery latency (publish → first 2xx) of events sent before, during and after the fault. */
  latencyMs?: Record<'before' | 'during' | 'after', LatencySummary>;
  /** Not injected: the fault phase's time was up. */
  skipped?: boolean;
  error?: string;
}

export interface LatencySummary {
  deliveries: number;
  p50: number | null;
  p99: number | null;
}

export interface FaultPlanOptions {
  /** Kill every service once, in random order (else `killCount` random services). */
  killEachService: boolean;
  killCount: number;
  pairKills: number;
  kafkaRestarts: number;
  postgresRestarts: number;
  rebalances: number;
  flapping: boolean;
  downMs: [number, number];
  rebalanceStayMs: number;
  flappingMs: number;
  /** Broker faults (a KRaft cluster only): the busiest leader and the controller killed, a rolling restart. */
  brokerFaults?: boolean;
  /** A broker paused (SIGSTOP) this long; 0 or absent: none. */
  brokerPauseMs?: number;
  /** Replicas per service: a service's kill fault kills each of them in turn. */
  replicas?: number;
}

/** A small seeded generator (mulberry32), so a run's fault order can be repeated from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** The faults in injection order, shuffled; flapping receivers come first and run alongside the others. */
export function planFaults(options: FaultPlanOptions, random: () => number): Fault[] {
  const down = () => Math.round(options.downMs[0] + random() * (options.downMs[1] - options.downMs[0]));
  const services = shuffle([...SERVICE_NAMES], random);
  const killed = options.killEachService ? services : services.slice(0, options.killCount);
  const faults: Fault[] = killed.map((service) => ({ kind: 'kill', services: [service], downMs: down() }));
  for (let i = 0; i < options.pairKills; i++) {
    faults.push({ kind: 'kill', services: shuffle([...SERVICE_NAMES], random).slice(0, 2), downMs: down() });
  }
  for (let i = 0; i < options.kafkaRestarts; i++) faults.push({ kind: 'kafka-restart', downMs: down() });
  for (let i = 0; i < options.postgresRestarts; i++) faults.push({ kind: 'postgres-restart', downMs: down() });
  for (let i = 0; i < options.rebalances; i++) faults.push({ kind: 'rebalance', stayMs: options.rebalanceStayMs });
  if (options.brokerFaults) {
    faults.push({ kind: 'broker-kill-leader', downMs: down() }, { kind: 'controller-kill', downMs: down() });
    faults.push({ kind: 'rolling-restart' });
  }
  if (options.brokerPauseMs) faults.push({ kind: 'broker-pause', pauseMs: options.brokerPauseMs });
  const ordered = shuffle(faults, random);
  return options.flapping ? [{ kind: 'flapping', durationMs: options.flappingMs }, ...ordered] : ordered;
}

export function describeFault(fault: Fault): string {
  switch (fault.kind) {
    case 'kill':
      return fault.services.join('+');
    case 'broker-kill-leader':
      return 'broker leading the most deliveries partitions (SIGKILL)';
    case 'controller-kill':
      return 'active KRaft controller (SIGKILL)';
    case 'rolling-restart':
      return 'every broker in turn';
    case 'broker-pause':
      return 'one broker (SIGSTOP, then SIGCONT)';
    case 'kafka-restart':
      return 'kafka';
    case 'postgres-restart':
      return 'postgres';
    case 'rebalance':
      return 'deliverer+matcher (second instances)';
    case 'flapping':
      return 'receiver (500, reset, hang, slow body)';
  }
}
