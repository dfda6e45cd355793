import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { eventTypeMatches, RETRY_TIERS, topicName, Topics } from '@herald/contracts';
import {
  collectLeakSurfaces,
  findLeaks,
  freePort,
  sleep,
  startStack,
  SERVICE_NAMES,
  ServiceProcess,
  waitFor,
  type ServiceName,
  type Stack,
} from '@herald/stack';
import { ChaosInfra } from './chaos-infra';
import { attributeToFaults, summarize, type DeliverySample } from './fault-windows';
import { CounterTotal, metricSum } from './instance-share';
import type { ChaosOptions } from './chaos-options';
import { EventLoad, type LoadTenant, type PublishedEvent } from './event-load';
import {
  describeFault,
  planFaults,
  seededRandom,
  type Fault,
  type FaultRecord,
  type LatencySummary,
} from './fault-plan';
import { DeliveryLedger, FLAP_MODES, LedgerReceiver, type ReceiverMode } from './ledger-receiver';

const TENANT = 'chaos';
/** The first tenant is `chaos`; more (`--brokers 3` form) are `chaos-2`, `chaos-3`, … */
const tenantName = (i: number) => (i === 0 ? TENANT : `${TENANT}-${i + 1}`);
/** Ledger key of a webhook: its key, prefixed by the tenant's number beyond the first. */
const webhookLabel = (tenant: number, key: string) => (tenant === 0 ? key : `t${tenant + 1}.${key}`);
const FOREIGN_TENANT = 'chaos-other';
const PROBE_TENANT = 'chaos-probe';
const EVENT_TYPES = ['order.created', 'order.paid', 'user.created', 'user.deleted'] as const;

/** The run's webhooks: which receiver, which filters. `flaps` marks the one whose receiver misbehaves. */
const WEBHOOKS = [
  { key: 'all', receiver: 0, events: ['*'] },
  { key: 'orders', receiver: 1, events: ['order.*'], flaps: true },
  { key: 'paid-and-created', receiver: 2, events: ['order.paid', 'user.created'] },
  { key: 'users', receiver: 0, events: ['user.*'] },
] as const;
const FOREIGN_KEY = 'other-tenant';

/** Deliveries per event on average: each event type equally likely, each tenant with the webhooks above. */
export function deliveriesPerEvent(): number {
  const matches = EVENT_TYPES.map(
    (t) => WEBHOOKS.filter((w) => w.events.some((f: string) => eventTypeMatches(f, t))).length,
  );
  return matches.reduce((a, b) => a + b, 0) / EVENT_TYPES.length;
}

/** Each service's own count of its work, read from its /metrics (plus its CPU time). */
export const SHARE_METRICS: Record<ServiceName, string> = {
  'subscription-api': 'herald_outbox_published_total',
  'event-ingest': 'herald_events_ingested_total',
  matcher: 'herald_deliveries_fanned_out_total',
  deliverer: 'herald_delivery_attempts_total',
  'audit-log': 'herald_event_log_rows_stored_total',
};
/** Seconds before a fault and after it whose events make up its "before" and "after" latency. */
const LATENCY_WINDOW_MS = 30_000;

/** Short delays so that deliveries failed while receivers flap are retried within the drain. */
const CHAOS_RETRY_SCHEDULE = [1, 2, 4, 8, 15, 30, 30, 30, 30, 30, 30, 30];
/**
 * A flap mode is held at least this long, and then until it has answered a request (at most
 * FLAP_MODE_MAX_MS): with the breaker open, a mode could otherwise pass without meeting one.
 */
const FLAP_MODE_MIN_MS = 3000;
const FLAP_MODE_MAX_MS = 12_000;

export interface ChaosResult {
  form: ChaosOptions['form'];
  seed: number;
  startedAt: string;
  /** Seconds from the first event published to the end of the checks. */
  durationS: number;
  setupS: number;
  load: {
    eventsPerSecond: number;
    /** Expected deliveries per second at that rate, and where the rate came from. */
    deliveriesPerSecond: number;
    rateSource?: string;
    /** Events acknowledged per second over the load phase (below the rate: the load waited out outages). */
    publishedPerSecond: number;
    sendsAttempted: number;
    sendsFailed: number;
    failedSendsDelivered: number;
    /** Seconds from the end of the load until the last expected delivery arrived (or the drain gave up). */
    drainS: number;
  };
  /** Brokers, replicas of each service, tenants and partitions of this run. */
  shape: {
    brokers: number;
    replicationFactor: number;
    minInsyncReplicas: number;
    replicas: number;
    tenants: number;
    partitions: number;
  };
  /** Delivery latency (publish → first 2xx) over the whole run, and duplicates before the first fault. */
  latencyMs: LatencySummary;
  duplicatesBeforeFirstFault: number;
  /** Duplicates received after the load stopped (the backlog draining), not given to any fault. */
  duplicatesDuringDrain: number;
  lostBeforeFirstFault: number;
  /** Lost pairs by how their event was published (the ingest topic or `POST /v1/events`). */
  lostByVia: { kafka: number; http: number };
  /** Lost pairs by webhook label. */
  lostByWebhook: Record<string, number>;
  /**
   * Records written to the deliveries topic and to each delay tier: a delivery refused for
   * concurrency goes round a tier, so tier records ÷ deliveries shows how often that happened.
   */
  deliveryTopicRecords: Record<string, number> | null;
  /** Each instance's share of its service's work, from its own /metrics (sampled; restarts summed). */
  instanceShare: Record<string, { metric: string; instances: Record<string, { count: number; cpuSeconds: number }> }>;
  published: number;
  expectedDeliveries: number;
  /** Expected (event, webhook) pairs a receiver answered 2xx at least once. */
  confirmed: number;
  lost: number;
  /** 2xx answers beyond the first per pair. */
  duplicates: number;
  duplicatePercent: number;
  /** Pairs delivered that should not have been (wrong tenant or filter). Must be 0. */
  misdelivered: number;
  receiverRequests: number;
  refusedRequests: number;
  audit: { attempts: number; byOutcome: Record<string, number>; confirmedWithoutSuccessRecord: number };
  /** Secrets looked for after the faults in every service log, /metrics page and stored attempt; must find none. */
  secrets: { checked: number; placesScanned: number; bytesScanned: number; unread: string[]; leaks: string[] };
  faults: FaultRecord[];
  flapping: boolean;
  /** Requests the flapping receiver answered in each mode (`ok` included). */
  flappingRequests: Record<ReceiverMode, number>;
  unexpectedExits: { service: string; atS: number; code: number | null; signal: string | null }[];
  lostSample: string[];
  /** Keyed share: each (webhook, key)'s first receipts must follow publish order. */
  ordering: { keyedPublished: number; keyedConfirmed: number; outOfOrder: number; outOfOrderSample: string[] };
  pass: boolean;
}

/**
 * Injects the planned faults under steady load, lets the pipeline drain, then checks that every published
 * event reached every matching webhook at least once.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const { log } = options;
  const random = seededRandom(options.seed);
  const setupStarted = Date.now();
  const minInsync = Math.max(1, options.brokers - 1);
  const tenants = Array.from({ length: options.tenants }, (_, i) => i);
  const infra = new ChaosInfra(options.home, options.ports, options.brokers);
  const ledger = new DeliveryLedger();
  const receivers = [0, 1, 2].map(() => new LedgerReceiver(ledger));
  const flappingReceiver = receivers[WEBHOOKS.find((w) => 'flaps' in w)!.receiver];
  let stack: Stack | null = null;
  let load: EventLoad | null = null;
  const extras: ServiceProcess[] = [];
  let supervisor: NodeJS.Timeout | null = null;
  let sampler: NodeJS.Timeout | null = null;
  try {
    log(
      `starting Kafka (${options.brokers} broker(s) from :${options.ports.kafka}) and PostgreSQL (:${options.ports.postgres}) in ${options.home}`,
    );
    await infra.start();
    await Promise.all(receivers.map((r) => r.start()));
    const adminApiKey = `hk_chaos_${randomBytes(12).toString('hex')}`;
    const prefix = 'chaos.';
    const loopback = '127.0.0.0/8';
    stack = await startStack({
      brokers: infra.brokers,
      databaseUrl: infra.databaseUrl,
      adminApiKey,
      topicPrefix: prefix,
      logDir: resolve(options.home, 'logs'),
      env: {
        '*': {
          LOG_LEVEL: 'info',
          KAFKA_TOPIC_PARTITIONS: String(options.partitions),
          ...(infra.clustered
            ? { KAFKA_REPLICATION_FACTOR: String(options.brokers), KAFKA_MIN_INSYNC_REPLICAS: String(minInsync) }
            : {}),
        },
        'subscription-api': { WEBHOOK_URL_ALLOWED_CIDRS: loopback },
        // The breaker opens for 2 s instead of 30 s, so a flapping receiver keeps meeting
        // deliveries (probes) in every mode rather than sitting out most of them.
        deliverer: { DELIVERY_ALLOWED_CIDRS: loopback, DELIVERY_BREAKER_OPEN_MS: '2000' },
      },
      // A busy machine can take minutes to bring five services and their consumer groups up.
      readyTimeoutMs: 240_000,
      replicas: options.replicas,
    });
    const running = stack;
    const allInstances = () => SERVICE_NAMES.flatMap((name) => running.instances[name]);
    log(`stack up at ${running.gatewayUrl}`);

    const webhookIds = new Map<string, string>(); // webhookId → key
    const secrets: Record<string, string> = { bootstrapKey: adminApiKey };
    const api = async (path: string, tenant: string, body: unknown) => {
      const response = await fetch(`${running.gatewayUrl}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminApiKey}`, 'x-tenant-id': tenant, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json().catch(() => null)) as any };
    };
    // event-ingest refuses undeclared event types: declare them, then wait until it has
    // learnt them (probe events go to a tenant without webhooks, so nothing is delivered).
    for (const t of tenants)
      for (const name of EVENT_TYPES) await api('/v1/event-types', tenantName(t), { name, description: 'chaos run' });
    for (const eventType of EVENT_TYPES) {
      await waitFor(
        `event-ingest to know ${eventType}`,
        async () => (await api('/v1/events', PROBE_TENANT, { eventType, tenantId: PROBE_TENANT })).status === 202,
        30_000,
      );
    }
    // The HTTP share of the load is published with a tenant key, as a tenant's own service would.
    const loadTenants: LoadTenant[] = [];
    for (const t of tenants) {
      const tenantId = tenantName(t);
      const loadKey = await api('/v1/api-keys', tenantId, { name: 'chaos load', scopes: ['admin'], tenantId });
      if (loadKey.status !== 201) throw new Error(`creating ${tenantId}'s load API key answered ${loadKey.status}`);
      secrets[t === 0 ? 'tenantKey' : `tenantKey ${tenantId}`] = loadKey.body.key;
      loadTenants.push({ tenantId, apiKey: loadKey.body.key });
    }
    /** Ledger label → (tenant, webhook definition), for the expected and misdelivered checks. */
    const labels = new Map<string, { tenant: string; events: readonly string[] }>();
    const create = async (key: string, receiver: number, events: readonly string[], tenant: string, flaps: boolean) => {
      const headerValue = `chaos-hdr-${randomBytes(12).toString('hex')}`;
      const created = await api('/v1/webhooks', tenant, {
        name: `chaos ${key}`,
        url: `${receivers[receiver].url}/hook/${key}`,
        events,
        headers: { 'X-Chaos-Auth': headerValue },
        ...(flaps && options.plan.flapping ? { retrySchedule: CHAOS_RETRY_SCHEDULE } : {}),
      });
      if (created.status !== 201)
        throw new Error(`creating webhook ${key} answered ${created.status}: ${JSON.stringify(created.body)}`);
      webhookIds.set(created.body.id, key);
      secrets[`webhookSecret ${key}`] = created.body.secret;
      secrets[`headerValue ${key}`] = headerValue;
    };
    for (const t of tenants) {
      for (const w of WEBHOOKS) {
        const label = webhookLabel(t, w.key);
        labels.set(label, { tenant: tenantName(t), events: w.events });
        await create(label, w.receiver, w.events, tenantName(t), 'flaps' in w && w.flaps);
      }
    }
    await create(FOREIGN_KEY, 2, ['*'], FOREIGN_TENANT, false);

    // A crashed process is restarted, as an orchestrator would; each such exit is reported.
    const t0 = Date.now();
    const atS = () => Math.round((Date.now() - t0) / 100) / 10;
    const intentionallyDown = new Set<ServiceProcess>();
    const restarting = new Set<ServiceProcess>();
    const unexpectedExits: ChaosResult['unexpectedExits'] = [];
    supervisor = setInterval(() => {
      for (const service of allInstances()) {
        const child = service.child;
        if (!child || intentionallyDown.has(service) || restarting.has(service)) continue;
        if (child.exitCode === null && child.signalCode === null) continue;
        const name = service.label;
        unexpectedExits.push({ service: name, atS: atS(), code: child.exitCode, signal: child.signalCode });
        log(`${name} exited on its own (code ${child.exitCode}, signal ${child.signalCode}); restarting`);
        restarting.add(service);
        void service
          .start()
          .catch((error) => log(`restart of ${name} failed: ${(error as Error).message}`))
          .finally(() => restarting.delete(service));
      }
    }, 1000);

    // Each instance's counters, read every 5 s (a killed instance's last few seconds are not seen).
    const shares = new Map<ServiceProcess, { count: CounterTotal; cpu: CounterTotal }>();
    for (const s of allInstances()) shares.set(s, { count: new CounterTotal(), cpu: new CounterTotal() });
    const sampleShares = async () => {
      await Promise.all(
        allInstances().map(async (s) => {
          if (intentionallyDown.has(s)) return;
          const page = await fetch(`${s.url}/metrics`, { signal: AbortSignal.timeout(3000) })
            .then((r) => r.text())
            .catch(() => null);
          if (page === null) return;
          const share = shares.get(s)!;
          share.count.observe(metricSum(page, SHARE_METRICS[s.options.name]) ?? 0);
          share.cpu.observe(metricSum(page, 'process_cpu_seconds_total') ?? 0);
        }),
      );
    };
    let sampling = false;
    sampler = setInterval(() => {
      if (sampling) return;
      sampling = true;
      void sampleShares().finally(() => (sampling = false));
    }, 5000);

    load = new EventLoad({
      brokers: infra.brokers,
      ingestTopic: `${prefix}webhooks.ingest`,
      gatewayUrl: running.gatewayUrl,
      tenants: loadTenants,
      eventTypes: EVENT_TYPES,
      eventsPerSecond: options.eventsPerSecond,
      httpShare: 0.2,
      orderedShare: 0.3,
      orderingKeys: 8,
      random,
    });
    const setupS = Math.round((Date.now() - setupStarted) / 1000);
    const loadStarted = Date.now();
    await load.start();
    log(`load: ${options.eventsPerSecond} events/s (seed ${options.seed}); warming up`);
    await sleep(options.warmupMs);

    const faults: FaultRecord[] = [];
    const restart = async (service: ServiceProcess) => {
      // A restart during another outage may need more than one try.
      for (let attempt = 1; ; attempt++) {
        try {
          await service.start();
          return;
        } catch (error) {
          if (attempt >= 3) throw error;
          await sleep(2000);
        }
      }
    };
    const deliveriesTopic = `${prefix}webhooks.deliveries`;
    const heraldTopics = await infra
      .partitions([])
      .then((parts) => [...new Set(parts.map((p) => p.topic))].filter((t) => t.startsWith(prefix)))
      .catch(() => [deliveriesTopic]);
    const inject = async (fault: Fault, record: FaultRecord): Promise<void> => {
      switch (fault.kind) {
        case 'kill': {
          // With replicas, each instance in turn (the service stays up through its other ones).
          for (let i = 0; i < options.replicas; i++) {
            const targets = fault.services.map((name) => running.instances[name][i]);
            targets.forEach((t) => intentionallyDown.add(t));
            try {
              await Promise.all(targets.map((t) => t.kill()));
              await sleep(fault.downMs);
              await Promise.all(targets.map((t) => restart(t)));
            } finally {
              targets.forEach((t) => intentionallyDown.delete(t));
            }
          }
          return;
        }
        case 'broker-kill-leader': {
          const { node, leads, of } = await infra.busiestLeader(deliveriesTopic);
          record.detail = `node ${node} led ${leads} of ${of} ${deliveriesTopic} partitions`;
          await infra.cluster('kill-node', String(node));
          await sleep(fault.downMs);
          await infra.cluster('start-node', String(node));
          await infra.waitInSync(heraldTopics);
          return;
        }
        case 'controller-kill': {
          const node = await infra.cluster('controller');
          await infra.cluster('kill-node', node);
          await sleep(fault.downMs);
          const next = await infra.cluster('controller').catch(() => '?');
          record.detail = `node ${node} was the active controller; node ${next} took over`;
          await infra.cluster('start-node', node);
          await infra.waitInSync(heraldTopics);
          return;
        }
        case 'rolling-restart':
          for (let node = 1; node <= options.brokers; node++) {
            await infra.cluster('stop-node', String(node));
            await infra.cluster('start-node', String(node));
            await infra.waitInSync(heraldTopics);
          }
          record.detail = `${options.brokers} nodes, each back in sync before the next`;
          return;
        case 'broker-pause': {
          const node = 1 + Math.floor(random() * options.brokers);
          const pid = infra.brokerPid(node);
          record.detail = `node ${node} paused ${fault.pauseMs / 1000} s`;
          process.kill(pid, 'SIGSTOP');
          try {
            await sleep(fault.pauseMs);
          } finally {
            process.kill(pid, 'SIGCONT');
          }
          await infra.waitInSync(heraldTopics);
          return;
        }
        case 'kafka-restart':
          await infra.stopKafka();
          await sleep(fault.downMs);
          await infra.startKafka();
          return;
        case 'postgres-restart':
          await infra.stopPostgres();
          await sleep(fault.downMs);
          await infra.startPostgres();
          return;
        case 'rebalance': {
          const joined = await Promise.all(
            (['deliverer', 'matcher'] as const).map(async (name) => {
              const base = running.services[name].options;
              // Joining waits for every member of the group to rejoin, which can take a while
              // right after another fault (a dead member's session has to expire first).
              return new ServiceProcess({ ...base, port: await freePort(), readyTimeoutMs: 240_000 });
            }),
          );
          extras.push(...joined);
          await Promise.all(joined.map((s) => s.start()));
          await sleep(fault.stayMs);
          await Promise.all(joined.map((s) => s.stop()));
          return;
        }
        case 'flapping': {
          const seen = (mode: ReceiverMode) => flappingReceiver.requestsByMode[mode];
          // Cycles until the duration is over and every mode has met a request, within a hard bound;
          // after the duration only the modes still unmet (other faults may have kept the deliverer
          // away for whole cycles).
          const until = Date.now() + fault.durationMs;
          const hardStop = until + 2 * FLAP_MODES.length * FLAP_MODE_MAX_MS;
          for (let i = 0; ; i++) {
            const cycle = Date.now() >= until ? FLAP_MODES.filter((m) => seen(m) === 0) : FLAP_MODES;
            if (cycle.length === 0 || Date.now() >= hardStop) break;
            const mode = cycle[i % cycle.length];
            const before = seen(mode);
            const started = Date.now();
            flappingReceiver.mode = mode;
            while (
              Date.now() - started < FLAP_MODE_MIN_MS ||
              (seen(mode) === before && Date.now() - started < FLAP_MODE_MAX_MS)
            ) {
              await sleep(250);
            }
          }
          flappingReceiver.mode = 'ok';
          return;
        }
      }
    };
    const run = async (fault: Fault): Promise<void> => {
      const record: FaultRecord = {
        kind: fault.kind,
        target: describeFault(fault),
        atS: atS(),
        durationS: 0,
        ok: true,
      };
      faults.push(record);
      log(`fault ${faults.length}: ${fault.kind} ${record.target} at ${record.atS}s`);
      const started = Date.now();
      try {
        await inject(fault, record);
      } catch (error) {
        record.ok = false;
        record.error = (error as Error).message;
        log(`fault ${fault.kind} ${record.target} failed: ${record.error}`);
      }
      record.durationS = Math.round((Date.now() - started) / 100) / 10;
    };

    const plan = planFaults(options.plan, random);
    let background: Promise<void> = Promise.resolve();
    for (const fault of plan) {
      if (fault.kind === 'flapping') {
        background = run(fault);
        continue;
      }
      if (Date.now() - t0 > options.faultPhaseMaxMs) {
        faults.push({
          kind: fault.kind,
          target: describeFault(fault),
          atS: atS(),
          durationS: 0,
          ok: true,
          skipped: true,
        });
        continue;
      }
      await run(fault);
      const [low, high] = options.faultGapMs;
      await sleep(low + random() * (high - low));
    }
    await background;
    await load.stop();
    const loadS = (Date.now() - loadStarted) / 1000;
    const loadStopped = Date.now();
    log(`faults done; ${load.published.size} events published; draining`);

    // The expected (event, webhook) pairs, from the published events and the webhooks' filters.
    const expected = new Set<string>();
    for (const event of load.published.values()) {
      for (const [label, w] of labels) {
        if (w.tenant === event.tenantId && w.events.some((f) => eventTypeMatches(f, event.eventType)))
          expected.add(`${event.eventId} ${label}`);
      }
    }
    const missing = () => [...expected].filter((pair) => !ledger.confirmed.has(pair));
    const drainDeadline = Date.now() + options.drainTimeoutMs;
    while (missing().length > 0 && Date.now() < drainDeadline) await sleep(1000);
    const lostPairs = missing();
    // Every lost pair with its webhook's id, for tracing through the topics and the services' logs.
    const idOf = new Map([...webhookIds].map(([id, label]) => [label, id]));
    writeFileSync(
      resolve(options.home, 'lost-pairs.txt'),
      lostPairs.map((pair) => `${pair} ${idOf.get(pair.slice(pair.indexOf(' ') + 1)) ?? '?'}\n`).join(''),
    );
    const drainS = Math.round((Date.now() - loadStopped) / 1000);
    await sampleShares();

    // Every confirmed delivery has a success attempt in the audit log (it may take a moment).
    const db = new Client({ connectionString: infra.databaseUrl });
    await db.connect();
    let withoutRecord: string[] = [];
    let attempts = 0;
    const byOutcome: Record<string, number> = {};
    try {
      const auditDeadline = Date.now() + 60_000;
      for (;;) {
        const { rows } = await db.query<{ event_id: string; webhook_id: string }>(
          "SELECT DISTINCT event_id, webhook_id FROM delivery_attempts WHERE outcome = 'success'",
        );
        const audited = new Set(rows.map((r) => `${r.event_id} ${webhookIds.get(r.webhook_id) ?? r.webhook_id}`));
        withoutRecord = [...ledger.confirmed.keys()].filter((pair) => !audited.has(pair));
        if (withoutRecord.length === 0 || Date.now() > auditDeadline) break;
        await sleep(2000);
      }
      const counts = await db.query<{ outcome: string; n: string }>(
        'SELECT outcome, count(*) AS n FROM delivery_attempts GROUP BY outcome',
      );
      for (const row of counts.rows) {
        byOutcome[row.outcome] = Number(row.n);
        attempts += Number(row.n);
      }
    } finally {
      await db.end();
    }

    // Crashes, restarts and outages exercise the error paths where a secret would slip into a log.
    const surfaces = await collectLeakSurfaces({
      logDir: resolve(options.home, 'logs'),
      serviceUrls: Object.fromEntries(allInstances().map((s) => [s.label, s.url])),
      databaseUrl: infra.databaseUrl,
    });
    const leaks = findLeaks(surfaces.places, secrets);
    const texts = Object.values(surfaces.places);

    const confirmedExpected = [...expected].filter((pair) => ledger.confirmed.has(pair)).length;
    // A send that failed may still have landed: its deliveries are neither expected nor wrong.
    const sent = new Map([...load.failedSends, ...load.published]);
    const misdelivered = [...ledger.confirmed.keys()].filter((pair) => {
      const [eventId, key] = pair.split(' ');
      const event = sent.get(eventId);
      const webhook = labels.get(key);
      return (
        !event ||
        !webhook ||
        webhook.tenant !== event.tenantId ||
        !webhook.events.some((f) => eventTypeMatches(f, event.eventType))
      );
    }).length;
    const deliveredEvents = new Set([...ledger.confirmed.keys()].map((pair) => pair.split(' ')[0]));
    const failedSendsDelivered = [...load.failedSends.keys()].filter((id) => deliveredEvents.has(id)).length;
    const confirmedTotal = [...ledger.confirmed.values()].reduce((a, b) => a + b, 0);
    const ordering = orderingCheck(ledger, load.published);
    const samples: DeliverySample[] = [];
    for (const pair of expected) {
      const at = ledger.firstAt.get(pair);
      const event = load.published.get(pair.slice(0, pair.indexOf(' ')));
      if (at !== undefined && event?.sentAt) samples.push({ sentAt: event.sentAt, latencyMs: at - event.sentAt });
    }
    const lostEvents = lostPairs.map((pair) => load!.published.get(pair.slice(0, pair.indexOf(' ')))!);
    const { beforeFirstFault, lostBeforeFirstFault, duringDrain } = attributeToFaults(
      faults,
      t0,
      samples,
      ledger.duplicateAt,
      LATENCY_WINDOW_MS,
      lostEvents.map((e) => e.sentAt),
      loadStopped,
    );
    const lostByVia = { kafka: 0, http: 0 };
    for (const e of lostEvents) lostByVia[e.via]++;
    const lostByWebhook: Record<string, number> = {};
    for (const pair of lostPairs) {
      const label = pair.slice(pair.indexOf(' ') + 1);
      lostByWebhook[label] = (lostByWebhook[label] ?? 0) + 1;
    }
    const deliveryTopics = [Topics.deliveries, ...RETRY_TIERS.map((tier) => Topics[tier.topic])].map((t) =>
      topicName(prefix, t),
    );
    const deliveryTopicRecords = await infra.recordsOnTopics(deliveryTopics).catch(() => null);
    const instanceShare: ChaosResult['instanceShare'] = {};
    for (const name of SERVICE_NAMES) {
      const instances: Record<string, { count: number; cpuSeconds: number }> = {};
      for (const s of running.instances[name]) {
        const share = shares.get(s)!;
        instances[s.label] = { count: share.count.total, cpuSeconds: Math.round(share.cpu.total * 10) / 10 };
      }
      instanceShare[name] = { metric: SHARE_METRICS[name], instances };
    }
    const result: ChaosResult = {
      form: options.form,
      seed: options.seed,
      startedAt: new Date(t0).toISOString(),
      durationS: Math.round((Date.now() - t0) / 1000),
      setupS,
      load: {
        eventsPerSecond: options.eventsPerSecond,
        deliveriesPerSecond: Math.round(options.eventsPerSecond * deliveriesPerEvent()),
        ...(options.rateSource ? { rateSource: options.rateSource } : {}),
        publishedPerSecond: Math.round((load.published.size / loadS) * 10) / 10,
        drainS,
        sendsAttempted: load.attempted,
        sendsFailed: load.failedSends.size,
        failedSendsDelivered,
      },
      shape: {
        brokers: options.brokers,
        replicationFactor: options.brokers,
        minInsyncReplicas: minInsync,
        replicas: options.replicas,
        tenants: options.tenants,
        partitions: options.partitions,
      },
      latencyMs: summarize(samples.map((x) => x.latencyMs)),
      duplicatesBeforeFirstFault: beforeFirstFault,
      duplicatesDuringDrain: duringDrain,
      lostBeforeFirstFault,
      lostByVia,
      lostByWebhook,
      deliveryTopicRecords,
      instanceShare,
      published: load.published.size,
      expectedDeliveries: expected.size,
      confirmed: confirmedExpected,
      lost: lostPairs.length,
      duplicates: ledger.duplicates,
      duplicatePercent: confirmedTotal ? Math.round((ledger.duplicates / confirmedTotal) * 10000) / 100 : 0,
      misdelivered,
      receiverRequests: ledger.requests,
      refusedRequests: ledger.refused,
      audit: { attempts, byOutcome, confirmedWithoutSuccessRecord: withoutRecord.length },
      secrets: {
        checked: Object.keys(secrets).length,
        placesScanned: texts.length,
        bytesScanned: texts.reduce((n, text) => n + Buffer.byteLength(text), 0),
        unread: surfaces.unread,
        leaks,
      },
      faults,
      flapping: options.plan.flapping,
      flappingRequests: { ...flappingReceiver.requestsByMode },
      unexpectedExits,
      lostSample: lostPairs.slice(0, 20),
      ordering,
      pass:
        lostPairs.length === 0 &&
        ordering.outOfOrder === 0 &&
        misdelivered === 0 &&
        withoutRecord.length === 0 &&
        leaks.length === 0 &&
        faults.every((f) => f.ok),
    };
    return result;
  } finally {
    if (supervisor) clearInterval(supervisor);
    if (sampler) clearInterval(sampler);
    await load?.stop().catch(() => undefined);
    await Promise.allSettled(extras.map((s) => s.stop()));
    await stack?.stop().catch(() => undefined);
    await Promise.allSettled(receivers.map((r) => r.stop()));
    await infra.stop();
  }
}

/** A keyed delivery first received after a later one of its (webhook, key) is out of order. */
function orderingCheck(
  ledger: DeliveryLedger,
  published: ReadonlyMap<string, PublishedEvent>,
): ChaosResult['ordering'] {
  const highest = new Map<string, number>();
  const problems: string[] = [];
  let keyedConfirmed = 0;
  for (const receipt of ledger.firstKeyed) {
    // A send that failed may have landed anyway: it has a keySeq but no place in the checked order.
    if (!published.has(receipt.eventId)) continue;
    keyedConfirmed++;
    const lane = `${receipt.webhookId}|${receipt.orderingKey}`;
    const before = highest.get(lane) ?? -1;
    if (receipt.keySeq < before) problems.push(`${lane}: #${receipt.keySeq} first received after #${before}`);
    highest.set(lane, Math.max(before, receipt.keySeq));
  }
  const keyedPublished = [...published.values()].filter((e) => e.orderingKey !== undefined).length;
  return { keyedPublished, keyedConfirmed, outOfOrder: problems.length, outOfOrderSample: problems.slice(0, 20) };
}
