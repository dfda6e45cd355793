// The local broker's idle CPU: starts it with kafka.sh (fresh data), creates Herald's topics,
// attaches idle kafkajs consumers with a long maxWaitTime (as the services have), then reads the
// JVM's utime+stime from /proc over a window. Bounded: loopback only, one broker, no traffic.
//   node tools/kafka/idle-cpu.mjs [--seconds 60] [--consumers 12] [--max-wait-ms 5000]
//     [--warmup 20] [--kafka-sh tools/kafka/kafka.sh]
// Env: HERALD_HOME (default <repo>/.herald/idle-cpu), KAFKA_PORT (19096),
// KAFKA_CONTROLLER_PORT (19097), KAFKA_VERSION. Needs the build (npm run build) for the topic list.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';

const root = resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const { Kafka, logLevel } = require('kafkajs');
const { heraldTopicSpecs, topicConfigEntries } = require(
  resolve(root, process.env.HERALD_DIST ?? 'dist', 'libs/contracts/src/index.js'),
);

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    consumers: { type: 'string', default: '12' },
    'max-wait-ms': { type: 'string', default: '5000' },
    warmup: { type: 'string', default: '20' },
    'kafka-sh': { type: 'string', default: resolve(root, 'tools/kafka/kafka.sh') },
  },
});
const number = (name) => {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number ≥ 1, got ${values[name]}`);
  return n;
};
const [seconds, consumerCount, maxWaitTimeInMs, warmup] = ['seconds', 'consumers', 'max-wait-ms', 'warmup'].map(number);

const env = {
  ...process.env,
  HERALD_HOME: process.env.HERALD_HOME ?? resolve(root, '.herald/idle-cpu'),
  KAFKA_PORT: process.env.KAFKA_PORT ?? '19096',
  KAFKA_CONTROLLER_PORT: process.env.KAFKA_CONTROLLER_PORT ?? '19097',
};
const kafkaSh = (command) =>
  execFileSync('bash', [values['kafka-sh'], command], { env, stdio: ['ignore', 'inherit', 'inherit'] });
const pid = () => Number(readFileSync(resolve(env.HERALD_HOME, 'kafka/kafka.pid'), 'utf8').trim());
const clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
/** utime + stime of the process (all its threads), in seconds. */
const cpuSeconds = (p) => {
  const fields = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / clockTicks;
};

kafkaSh('reset');
kafkaSh('start');
const kafka = new Kafka({ clientId: 'idle-cpu', brokers: [`127.0.0.1:${env.KAFKA_PORT}`], logLevel: logLevel.NOTHING });
const admin = kafka.admin();
const consumers = [];
try {
  await admin.connect();
  const specs = heraldTopicSpecs('idle.', 3);
  if (consumerCount > specs.length)
    throw new Error(`--consumers must be at most ${specs.length} (one topic each at least)`);
  await admin.createTopics({
    waitForLeaders: true,
    topics: specs.map((spec) => ({
      topic: spec.name,
      numPartitions: spec.partitions,
      replicationFactor: 1,
      configEntries: topicConfigEntries(spec),
    })),
  });
  // Topics dealt round-robin over the consumers, each in its own group, as the services' are.
  for (let i = 0; i < consumerCount; i++) {
    const consumer = kafka.consumer({ groupId: `idle-cpu-${i}`, maxWaitTimeInMs, minBytes: 1 });
    await consumer.connect();
    await consumer.subscribe({
      topics: specs.filter((_, t) => t % consumerCount === i).map((s) => s.name),
      fromBeginning: true,
    });
    await consumer.run({ eachMessage: async () => undefined });
    consumers.push(consumer);
  }
  await sleep(warmup * 1000);
  const broker = pid();
  const [cpu0, t0] = [cpuSeconds(broker), process.hrtime.bigint()];
  await sleep(seconds * 1000);
  const [cpu1, t1] = [cpuSeconds(broker), process.hrtime.bigint()];
  const wall = Number(t1 - t0) / 1e9;
  console.log(
    JSON.stringify({
      kafkaVersion: env.KAFKA_VERSION ?? '4',
      consumers: consumerCount,
      maxWaitTimeInMs,
      seconds: +wall.toFixed(1),
      cpuSeconds: +(cpu1 - cpu0).toFixed(2),
      cores: +((cpu1 - cpu0) / wall).toFixed(4),
    }),
  );
} finally {
  await Promise.allSettled(consumers.map((c) => c.disconnect()));
  await admin.disconnect().catch(() => undefined);
  kafkaSh('stop');
}
