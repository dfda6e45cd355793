// Broker faults against a local 3-node KRaft cluster (tools/kafka/cluster.sh), with kafkajs as
// Herald uses it: a topic with replication factor 3 and min.insync.replicas=2, an idempotent
// producer with acks=all writing all along, then SIGKILL of the broker leading the most
// partitions, loss of the active controller and a rolling restart of every node. At the end every
// acknowledged write must be readable exactly once. Loopback only, bounded in time and count.
//   node tools/kafka/cluster-faults.mjs
// Env: HERALD_HOME (default <repo>/.herald/cluster-faults), KAFKA_PORT (19292),
// KAFKA_CONTROLLER_PORT (19293), KAFKA_VERSION.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRequire } from 'node:module';

const root = resolve(import.meta.dirname, '../..');
const { Kafka, logLevel } = createRequire(import.meta.url)('kafkajs');
const env = {
  ...process.env,
  HERALD_HOME: process.env.HERALD_HOME ?? resolve(root, '.herald/cluster-faults'),
  KAFKA_NODES: '3',
  KAFKA_PORT: process.env.KAFKA_PORT ?? '19292',
  KAFKA_CONTROLLER_PORT: process.env.KAFKA_CONTROLLER_PORT ?? '19293',
};
const cluster = (...args) =>
  execFileSync('bash', [resolve(root, 'tools/kafka/cluster.sh'), ...args], {
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
const log = (line) => console.log(`[cluster-faults] ${new Date().toISOString()} ${line}`);

const TOPIC = 'faults.webhooks.deliveries';
const PARTITIONS = 6;

cluster('reset');
cluster('start');
const brokers = cluster('brokers').split(',');
const kafka = new Kafka({
  clientId: 'cluster-faults',
  brokers,
  logLevel: logLevel.NOTHING,
  retry: { retries: 30, initialRetryTime: 100, maxRetryTime: 2000 },
});
const admin = kafka.admin();
const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
const acknowledged = new Set();
const failures = [];
let writing = true;
let next = 0;
try {
  await admin.connect();
  // waitForLeaders can fail on a loaded machine with "does not host this topic-partition"; the
  // wait below checks the same thing.
  await admin.createTopics({
    waitForLeaders: false,
    topics: [
      {
        topic: TOPIC,
        numPartitions: PARTITIONS,
        replicationFactor: 3,
        configEntries: [{ name: 'min.insync.replicas', value: '2' }],
      },
    ],
  });
  // Under load a just-created topic may not be served everywhere yet.
  for (let attempt = 1; ; attempt++) {
    const [meta] = (await admin.fetchTopicMetadata({ topics: [TOPIC] }).catch(() => ({ topics: [{ partitions: [] }] })))
      .topics;
    if (meta.partitions.length === PARTITIONS && meta.partitions.every((p) => p.leader >= 0 && p.isr.length === 3))
      break;
    if (attempt >= 120) throw new Error(`${TOPIC} not fully replicated within 60 s`);
    await sleep(500);
  }
  await producer.connect();
  // Writes all along, 20 at a time; a write is counted once the cluster acknowledged it (acks=all).
  const writer = (async () => {
    while (writing) {
      const batch = Array.from({ length: 20 }, () => String(next++));
      try {
        await producer.send({ topic: TOPIC, acks: -1, messages: batch.map((value) => ({ key: value, value })) });
        for (const value of batch) acknowledged.add(value);
      } catch (error) {
        failures.push(`${new Date().toISOString()} ${error.message}`);
      }
      await sleep(20);
    }
  })();

  // Metadata from whichever broker answers: the one asked may just have been stopped.
  const partitions = async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        return (await admin.fetchTopicMetadata({ topics: [TOPIC] })).topics[0].partitions;
      } catch (error) {
        if (attempt >= 20 || !error.retriable) throw error;
        await sleep(500);
      }
    }
  };
  const leaders = async () => {
    const meta = { partitions: await partitions() };
    const count = new Map();
    for (const p of meta.partitions) count.set(p.leader, (count.get(p.leader) ?? 0) + 1);
    return [...count.entries()].sort((a, b) => b[1] - a[1]);
  };
  // Every partition back to 3 in-sync replicas (the next fault must not take the ISR below 2).
  const inSync = async () => {
    const deadline = Date.now() + 120_000;
    for (;;) {
      if ((await partitions()).every((p) => p.isr.length === 3)) return;
      if (Date.now() > deadline) throw new Error('partitions not back in sync within 120 s');
      await sleep(500);
    }
  };
  const phase = async (name, fault) => {
    const before = acknowledged.size;
    log(`${name}: start (${before} acknowledged)`);
    await fault();
    await inSync();
    log(`${name}: done (${acknowledged.size - before} acknowledged during it, ${failures.length} failed sends so far)`);
  };

  await sleep(5000);
  await phase('SIGKILL of the broker leading the most partitions', async () => {
    const [[leader, led]] = await leaders();
    log(`node ${leader} leads ${led} of ${PARTITIONS} partitions: SIGKILL`);
    cluster('kill-node', String(leader));
    await sleep(10_000);
    cluster('start-node', String(leader));
  });
  await phase('loss of the active controller', async () => {
    const controller = cluster('controller');
    log(`node ${controller} is the active controller: SIGKILL`);
    cluster('kill-node', controller);
    await sleep(10_000);
    log(`active controller now node ${cluster('controller')}`);
    cluster('start-node', controller);
  });
  await phase('rolling restart of every node', async () => {
    for (const id of ['1', '2', '3']) {
      cluster('stop-node', id);
      cluster('start-node', id);
      await inSync();
    }
  });
  writing = false;
  await writer;

  // Every acknowledged write is there, once: read each partition up to its high watermark,
  // counting records by offset (a consumer may be handed a record twice; the log may not hold one twice).
  const seen = new Map(); // value -> set of partition:offset
  const consumed = new Map(); // partition -> next offset
  const consumer = kafka.consumer({ groupId: `cluster-faults-${Date.now()}`, maxWaitTimeInMs: 500 });
  await consumer.connect();
  await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
  const highWatermarks = await admin.fetchTopicOffsets(TOPIC);
  const total = highWatermarks.reduce((sum, p) => sum + Number(p.high), 0);
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      const value = message.value.toString();
      seen.set(value, (seen.get(value) ?? new Set()).add(`${partition}:${message.offset}`));
      consumed.set(partition, Math.max(consumed.get(partition) ?? 0, Number(message.offset) + 1));
    },
  });
  const deadline = Date.now() + 120_000;
  const caughtUp = () => highWatermarks.every((p) => (consumed.get(p.partition) ?? 0) >= Number(p.high));
  while (!caughtUp() && Date.now() < deadline) await sleep(500);
  // Then whatever a high watermark that lagged behind a fresh leader had not shown yet.
  await sleep(5000);
  const settled = await admin.fetchTopicOffsets(TOPIC);
  const later = settled.reduce((sum, p) => sum + Number(p.high), 0);
  await consumer.disconnect();
  const lost = [...acknowledged].filter((v) => !seen.has(v));
  const duplicated = [...seen.values()].filter((offsets) => offsets.size > 1).length;
  const result = {
    acknowledged: acknowledged.size,
    attempted: next,
    inLog: total,
    inLogLater: later,
    lost: lost.length,
    lostSample: lost.slice(0, 10),
    duplicated,
    failedSends: failures.length,
    firstFailures: failures.slice(0, 3),
  };
  console.log(JSON.stringify(result));
  process.exitCode = lost.length === 0 && duplicated === 0 ? 0 : 1;
} finally {
  writing = false;
  await producer.disconnect().catch(() => undefined);
  await admin.disconnect().catch(() => undefined);
  cluster('stop');
}
