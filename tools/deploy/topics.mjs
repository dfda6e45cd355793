// Prints the kafka-topics.sh commands that create Herald's topics, for clusters where the
// platform team pre-creates topics (kafka.createTopics=false / KAFKA_CREATE_TOPICS=false).
// Reads the topic list from the build (npm run build first), so it is the list the services check.
//   node tools/deploy/topics.mjs --prefix prod. --partitions 12 --replication-factor 3 [--bootstrap-server host:port]
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { root } from './tools.mjs';

const { values } = parseArgs({
  options: {
    prefix: { type: 'string', default: '' },
    partitions: { type: 'string', default: '3' },
    'replication-factor': { type: 'string', default: '3' },
    'bootstrap-server': { type: 'string', default: '$BOOTSTRAP' },
  },
});
const contracts = resolve(root, process.env.HERALD_DIST ?? 'dist', 'libs/contracts/src/index.js');
if (!existsSync(contracts)) {
  console.error(`${contracts} is missing: run npm run build first`);
  process.exit(1);
}
const { heraldTopicSpecs, topicConfigEntries } = createRequire(import.meta.url)(contracts);
const partitions = Number(values.partitions);
if (!Number.isInteger(partitions) || partitions < 1) throw new Error('--partitions must be a whole number ≥ 1');
for (const spec of heraldTopicSpecs(values.prefix, partitions)) {
  const configs = topicConfigEntries(spec).map((entry) => `${entry.name}=${entry.value}`);
  console.log(
    [
      'kafka-topics.sh --create --if-not-exists',
      `--bootstrap-server ${values['bootstrap-server']}`,
      `--topic ${spec.name}`,
      `--partitions ${spec.partitions}`,
      `--replication-factor ${values['replication-factor']}`,
      ...configs.map((c) => `--config ${c}`),
    ].join(' '),
  );
}
