// npm run bench -- --hops: where an event's time goes, hop by hop, at a low open-loop rate. Each
// Kafka record's timestamp is the producing service's clock at send, so publish → webhooks.events
// is event-ingest's hop, → webhooks.deliveries the matcher's, → arrival the deliverer's.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { heraldHome, SERVICE_NAMES, startInfra, startStack, type Infra, type Stack } from '@herald/stack';
import { BENCH_EVENT_TYPE, benchEvent } from './payload';
import { LatencyRecorder } from './latency-recorder';
import { CostMonitor, type ProcessRoot } from './process-sampler';

const PREFIX = 'hops.';
const envInt = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface HopOptions {
  rate: number;
  count: number;
  fanout: number;
  partitions: number;
}

function parse(argv: string[]): HopOptions {
  const o: HopOptions = { rate: 5, count: 100, fanout: 1, partitions: 3 };
  for (let i = 0; i < argv.length; i += 2) {
    const value = Number(argv[i + 1]);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`${argv[i]} needs a positive number`);
    if (argv[i] === '--rate') o.rate = value;
    else if (argv[i] === '--count') o.count = value;
    else if (argv[i] === '--fanout') o.fanout = value;
    else if (argv[i] === '--partitions') o.partitions = value;
    else throw new Error(`unknown flag ${argv[i]} (--rate N --count N --fanout N --partitions N)`);
  }
  return o;
}

async function main(): Promise<void> {
  const options = parse(process.argv.slice(2));
  const home = heraldHome('hops');
  for (const dir of ['kafka/data', 'kafka/cluster.id', 'kafka/meta', 'postgres', 'logs']) {
    rmSync(resolve(home, dir), { recursive: true, force: true });
  }
  const arrivals = new Map<string, number>();
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = Date.now();
      const id = /"(hop-[0-9a-f]+-\d+)"/.exec(Buffer.concat(chunks).toString())?.[1];
      if (id && !arrivals.has(`${id} ${req.url}`)) arrivals.set(`${id} ${req.url}`, at);
      res.end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  let infra: Infra | null = null;
  let stack: Stack | null = null;
  try {
    infra = await startInfra({
      home,
      kafkaPort: envInt('HERALD_BENCH_KAFKA_PORT', 29092),
      kafkaControllerPort: envInt('HERALD_BENCH_KAFKA_CONTROLLER_PORT', 29093),
      postgresPort: envInt('HERALD_BENCH_POSTGRES_PORT', 54369),
      database: 'herald_hops',
    });
    const adminApiKey = `hk_hops_${randomBytes(12).toString('hex')}`;
    stack = await startStack({
      brokers: infra.brokers,
      databaseUrl: infra.databaseUrl,
      adminApiKey,
      topicPrefix: PREFIX,
      logDir: resolve(home, 'logs'),
      readyTimeoutMs: 300_000,
      env: {
        '*': { LOG_LEVEL: 'warn', KAFKA_TOPIC_PARTITIONS: String(options.partitions) },
        'subscription-api': { WEBHOOK_URL_ALLOWED_CIDRS: '127.0.0.0/8' },
        deliverer: {
          DELIVERY_ALLOWED_CIDRS: '127.0.0.0/8',
          DELIVERY_ENDPOINT_RATE_PER_SECOND: '0',
          DELIVERY_ENDPOINT_CONCURRENCY: process.env.HOPS_ENDPOINT_CONCURRENCY ?? '64',
        },
      },
    });
    const tenantId = 'hops-t0';
    for (let w = 0; w < options.fanout; w++) {
      const response = await fetch(`${stack.services['subscription-api'].url}/v1/webhooks`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${adminApiKey}`,
          'x-tenant-id': tenantId,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ name: `hops ${w}`, url: `${receiverUrl}/w${w}`, events: [BENCH_EVENT_TYPE] }),
      });
      if (response.status !== 201) throw new Error(`creating a webhook: HTTP ${response.status}`);
    }
    const kafka = new Kafka({ clientId: 'hops', brokers: [infra.brokers], logLevel: logLevel.NOTHING });
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    const run = randomBytes(4).toString('hex');
    const sent = new Map<string, number>();
    const roots: Record<string, ProcessRoot> = { hops: { pids: [process.pid], tree: false } };
    for (const name of SERVICE_NAMES) {
      const pid = stack.services[name].pid;
      if (pid) roots[name] = { pids: [pid], tree: true };
    }
    for (const [name, file] of [
      ['kafka', 'kafka/kafka.pid'],
      ['postgresql', 'postgres/postmaster.pid'],
    ]) {
      const pid = Number(readFileSync(resolve(home, file), 'utf8').split('\n')[0]);
      if (pid > 0) roots[name] = { pids: [pid], tree: true };
    }
    const cost = new CostMonitor(roots).window();
    const started = Date.now();
    // 2 s of warm-up events, not measured.
    const warm = Math.ceil(options.rate * 2);
    const total = warm + options.count;
    // Events due by now leave in one produce request (up to 200), as the bench's publisher does.
    for (let n = 0; n < total;) {
      const wait = started + (n * 1000) / options.rate - Date.now();
      if (wait > 0) await sleep(wait);
      const messages = [];
      for (; n < total && messages.length < 200 && started + (n * 1000) / options.rate <= Date.now(); n++) {
        const id = `hop-${run}-${n}`;
        if (n >= warm) sent.set(id, started + (n * 1000) / options.rate);
        messages.push({ key: tenantId, value: JSON.stringify(benchEvent(id, n, tenantId, 1024)) });
      }
      void producer.send({ topic: `${PREFIX}webhooks.ingest`, acks: -1, messages });
    }
    const deadline = Date.now() + 30_000;
    while (arrivals.size < total * options.fanout && Date.now() < deadline) await sleep(100);
    // Everything after the last arrival (attempt records, audit rows) is done within a second or so.
    await sleep(2000);
    const cpu = cost.end();
    await producer.disconnect();

    // Record timestamps of each hop's topic, per event id (first record of each).
    const stamps: Record<string, Map<string, number>> = {
      events: new Map(),
      deliveries: new Map(),
      attempts: new Map(),
    };
    const consumer = kafka.consumer({ groupId: `hops-read-${run}`, maxWaitTimeInMs: 200 });
    await consumer.connect();
    await consumer.subscribe({
      topics: Object.keys(stamps).map((t) => `${PREFIX}webhooks.${t}`),
      fromBeginning: true,
    });
    let seen = 0;
    void consumer.run({
      eachMessage: async ({ topic, message }) => {
        seen++;
        const id = /"(hop-[0-9a-f]+-\d+)"/.exec(message.value?.toString() ?? '')?.[1];
        const map = stamps[topic.slice(`${PREFIX}webhooks.`.length)];
        if (id && map && !map.has(id)) map.set(id, Number(message.timestamp));
      },
    });
    let last = -1;
    while (seen !== last) {
      last = seen;
      await sleep(3000);
    }
    await consumer.disconnect();

    const hops = {
      'publish → events (ingest)': new LatencyRecorder(),
      'events → deliveries (matcher)': new LatencyRecorder(),
      'deliveries → arrival (deliverer)': new LatencyRecorder(),
      'publish → arrival': new LatencyRecorder(),
      'arrival → attempt record': new LatencyRecorder(),
    };
    let missing = 0;
    for (const [id, at] of sent) {
      const ev = stamps.events.get(id);
      const dv = stamps.deliveries.get(id);
      const ar = arrivals.get(`${id} /w0`);
      const at2 = stamps.attempts.get(id);
      if (ev === undefined || dv === undefined || ar === undefined) {
        missing++;
        continue;
      }
      hops['publish → events (ingest)'].record(ev - at);
      hops['events → deliveries (matcher)'].record(dv - ev);
      hops['deliveries → arrival (deliverer)'].record(ar - dv);
      hops['publish → arrival'].record(ar - at);
      if (at2 !== undefined) hops['arrival → attempt record'].record(at2 - ar);
    }
    process.stdout.write(
      `hops at ${options.rate} events/s, fan-out ${options.fanout}, ${options.partitions} partitions, ${sent.size} measured, ${missing} incomplete\n`,
    );
    for (const [name, rec] of Object.entries(hops)) {
      const s = rec.summary();
      process.stdout.write(`  ${name.padEnd(34)} p50 ${s.p50} ms  p95 ${s.p95} ms  p99 ${s.p99} ms  max ${s.max} ms\n`);
    }
    const perEvent = Object.entries(cpu)
      .map(([name, figures]) => `${name} ${((figures.cpuSeconds * 1000) / total).toFixed(2)}`)
      .join(', ');
    process.stdout.write(`  CPU ms per event (from the first event to 2 s after the last arrival): ${perEvent}\n`);
    // Deliveries put back without an attempt (a gate refusal parks them in a delay tier).
    const metrics = await (await fetch(`${stack.services.deliverer.url}/metrics`)).text();
    for (const line of metrics.split('\n')) {
      if (
        /^herald_delivery_(deferred|attempts)_total|^herald_delivery_attempt_duration_seconds_(sum|count)|^herald_kafka_message_processing_seconds_(sum|count)/.test(
          line,
        )
      )
        process.stdout.write(`  deliverer ${line}\n`);
    }
  } finally {
    receiver.close();
    await stack?.stop();
    await infra?.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`hops: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
