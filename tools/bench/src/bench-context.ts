import { Kafka, logLevel, type Producer } from 'kafkajs';
import { Client } from 'pg';
import { PairChecksum } from './delivery-ledger';
import type { BenchOptions } from './bench-options';
import { BENCH_EVENT_TYPE, BENCH_FILTER, benchEvent, type BenchEvent } from './payload';
import { OTHER_PROCESSES, type CostFigures, type CostMonitor } from './process-sampler';
import { eventIdFor, type EndpointMode, type ReceiverFleet } from './receiver-fleet';

/** What a running bench needs: the stack's addresses and the harness's own parts. */
export interface BenchContext {
  options: BenchOptions;
  fleet: ReceiverFleet;
  publisher: EventPublisher;
  apiUrl: string;
  adminApiKey: string;
  databaseUrl: string;
  cost: CostMonitor | null;
  log: (line: string) => void;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Publishes events to Herald's ingest topic, as a platform service would. */
export class EventPublisher {
  private readonly producer: Producer;

  constructor(
    brokers: string,
    readonly topic: string,
  ) {
    const kafka = new Kafka({ clientId: 'herald-bench', brokers: [brokers], logLevel: logLevel.NOTHING });
    this.producer = kafka.producer({ allowAutoTopicCreation: false });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  async publish(events: BenchEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.producer.send({
      topic: this.topic,
      acks: -1,
      messages: events.map((event) => ({ key: event.tenantId, value: JSON.stringify(event) })),
    });
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }
}

/** Events per produce request: the configured batch, but no request much above 512 KiB. */
export const publishBatchFor = (options: BenchOptions, bodyBytes: number) =>
  Math.max(1, Math.min(options.publishBatch, Math.floor(524288 / bodyBytes)));

export interface PhaseTenant {
  tenantId: string;
  /** Endpoint keys of the tenant's webhooks that answer 200. */
  healthy: string[];
}

export interface PhaseSetup {
  id: string;
  fanout: number;
  tenants: PhaseTenant[];
  endpoints: number;
}

/**
 * Creates one phase's webhooks through the API: `tenants` tenants with `fanout` webhooks each,
 * all subscribed to the bench event type, each pointing at its own receiver path.
 */
export async function setupPhase(
  ctx: BenchContext,
  id: string,
  fanout: number,
  modeOf: (index: number) => EndpointMode = () => 'ok',
  filter = ctx.options.filter,
): Promise<PhaseSetup> {
  const tenants: PhaseTenant[] = [];
  for (let t = 0; t < ctx.options.tenants; t++) {
    const tenantId = `bench-${id}-t${t}`;
    const healthy: string[] = [];
    for (let w = 0; w < fanout; w++) {
      const key = `${id}-t${t}-w${w}`;
      const mode = modeOf(w);
      const url = ctx.fleet.add({ key, mode });
      const response = await fetch(`${ctx.apiUrl}/v1/webhooks`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${ctx.adminApiKey}`,
          'x-tenant-id': tenantId,
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          name: `bench ${key}`,
          url,
          events: [BENCH_EVENT_TYPE],
          ...(filter ? { filter: BENCH_FILTER } : {}),
        }),
      });
      const body = (await response.json()) as { secret?: string; error?: { message: string } };
      if (response.status !== 201 || !body.secret) {
        throw new Error(`creating webhook ${key} failed: HTTP ${response.status} ${body.error?.message ?? ''}`);
      }
      ctx.fleet.setSecret(key, body.secret);
      if (mode === 'ok') healthy.push(key);
    }
    tenants.push({ tenantId, healthy });
  }
  // Every receiver knows every endpoint and secret before the first event is published.
  await ctx.fleet.flush();
  return { id, fanout, tenants, endpoints: fanout * ctx.options.tenants };
}

/**
 * Builds the next `count` events of a phase (round-robin over its tenants) and adds each
 * (event, healthy endpoint) pair to `expected`.
 */
export function nextEvents(
  setup: PhaseSetup,
  firstSeq: number,
  count: number,
  bodyBytes: number,
  expected: PairChecksum,
): BenchEvent[] {
  const events: BenchEvent[] = [];
  for (let seq = firstSeq; seq < firstSeq + count; seq++) {
    const tenant = setup.tenants[seq % setup.tenants.length];
    const eventId = eventIdFor(setup.id, seq);
    events.push(benchEvent(eventId, seq, tenant.tenantId, bodyBytes));
    for (const key of tenant.healthy) expected.add(eventId, key);
  }
  return events;
}

/** Polls until `done()` or the timeout; resolves whether it got there. */
export async function waitUntil(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

export interface AuditCount {
  /** Attempt rows stored for the phase's tenants. */
  rows: number;
  /** Distinct deliveries with a successful attempt stored. */
  delivered: number;
}

/** What audit-log stored in PostgreSQL for these tenants. */
export async function countAudit(databaseUrl: string, tenantIds: string[]): Promise<AuditCount> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT count(*)::int AS rows, count(DISTINCT delivery_id) FILTER (WHERE outcome = 'success')::int AS delivered
         FROM delivery_attempts WHERE tenant_id = ANY($1)`,
      [tenantIds],
    );
    return { rows: rows[0].rows, delivered: rows[0].delivered };
  } finally {
    await client.end();
  }
}

/** Waits (up to `timeoutMs`) for audit-log to have stored `expected` successful deliveries. */
export async function awaitAudit(
  databaseUrl: string,
  tenantIds: string[],
  expected: number,
  timeoutMs: number,
): Promise<AuditCount> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const count = await countAudit(databaseUrl, tenantIds);
    if (count.delivered >= expected || Date.now() > deadline) return count;
    await sleep(500);
  }
}

/** The bench's own processes: not Herald's cost, reported apart. */
export const HARNESS = { bench: 'bench', receivers: 'receivers', loadGenerator: 'load generator' } as const;
const harnessNames = new Set<string>(Object.values(HARNESS));

export interface ProcessCost {
  cpuSeconds: number;
  /** Cores kept busy on average over the window. */
  cores: number;
  /** CPU seconds per 1,000 deliveries (null with no deliveries, e.g. idle). */
  cpuSecondsPer1000: number | null;
  peakRssMb: number;
}

export interface PhaseCost {
  seconds: number;
  deliveries: number;
  /** Each of Herald's services, kafka, postgresql, bench, receivers (and the load generator), other processes. */
  processes: Record<string, ProcessCost>;
  /** The whole box: Herald's five services + Kafka + PostgreSQL (not the bench, receivers or others). */
  wholeBox: ProcessCost;
  /** The bench process, the receivers and the baseline's load generator together. */
  harness: ProcessCost;
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;

function costOf(cpuSeconds: number, peakRssMb: number, deliveries: number, seconds: number): ProcessCost {
  return {
    cpuSeconds: Math.round(cpuSeconds * 100) / 100,
    cores: seconds > 0 ? round3(cpuSeconds / seconds) : 0,
    cpuSecondsPer1000: deliveries > 0 ? round3((cpuSeconds / deliveries) * 1000) : null,
    peakRssMb: Math.round(peakRssMb * 10) / 10,
  };
}

/** CPU per process and per 1,000 deliveries over a window of `seconds` that carried `deliveries`. */
export function phaseCost(figures: Record<string, CostFigures>, deliveries: number, seconds: number): PhaseCost {
  const processes: Record<string, ProcessCost> = {};
  const box = { cpu: 0, rss: 0 };
  const harness = { cpu: 0, rss: 0 };
  for (const [name, f] of Object.entries(figures)) {
    processes[name] = costOf(f.cpuSeconds, f.peakRssMb, deliveries, seconds);
    if (name === OTHER_PROCESSES) continue;
    const sum = harnessNames.has(name) ? harness : box;
    sum.cpu += f.cpuSeconds;
    sum.rss += f.peakRssMb;
  }
  return {
    seconds,
    deliveries,
    processes,
    wholeBox: costOf(box.cpu, box.rss, deliveries, seconds),
    harness: costOf(harness.cpu, harness.rss, deliveries, seconds),
  };
}
