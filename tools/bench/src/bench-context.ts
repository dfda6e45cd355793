import { Kafka, logLevel, type Producer } from 'kafkajs';
import { Client } from 'pg';
import { PairChecksum } from './delivery-ledger';
import type { BenchOptions } from './bench-options';
import { BENCH_EVENT_TYPE, benchEvent, type BenchEvent } from './payload';
import type { CostFigures, CostMonitor } from './process-sampler';
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
        headers: { authorization: `Bearer ${ctx.adminApiKey}`, 'x-tenant-id': tenantId, 'content-type': 'application/json' },
        body: JSON.stringify({ name: `bench ${key}`, url, events: [BENCH_EVENT_TYPE] }),
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
  return { id, fanout, tenants, endpoints: fanout * ctx.options.tenants };
}

/**
 * Builds the next `count` events of a phase (round-robin over its tenants) and adds each
 * (event, healthy endpoint) pair to `expected`.
 */
export function nextEvents(setup: PhaseSetup, firstSeq: number, count: number, bodyBytes: number, expected: PairChecksum): BenchEvent[] {
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
export async function awaitAudit(databaseUrl: string, tenantIds: string[], expected: number, timeoutMs: number): Promise<AuditCount> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const count = await countAudit(databaseUrl, tenantIds);
    if (count.delivered >= expected || Date.now() > deadline) return count;
    await sleep(500);
  }
}

export type CostReport = Record<string, CostFigures & { cpuSecondsPer1000: number }>;

/** CPU seconds per 1,000 deliveries for each sampled process tree. */
export function costPer1000(figures: Record<string, CostFigures>, deliveries: number): CostReport {
  const out: CostReport = {};
  for (const [name, f] of Object.entries(figures)) {
    out[name] = { ...f, cpuSecondsPer1000: deliveries > 0 ? Math.round((f.cpuSeconds / deliveries) * 1000 * 1000) / 1000 : 0 };
  }
  return out;
}
