// Counts the Kafka requests a Node process sends, by API, per consumer group and in total, to see
// which clients keep an idle broker busy. Loaded with NODE_OPTIONS="--require <this file>" and
// HERALD_KAFKA_REQUEST_DIR=DIR; writes DIR/<service>-<pid>.json (cumulative counts and the time)
// every 10 s (HERALD_KAFKA_REQUEST_INTERVAL_MS) and at exit. Diagnostic only: `node tools/kafka/request-rates.mjs DIR` prints rates.
const { mkdirSync, renameSync, writeFileSync } = require('node:fs');
const { basename, dirname, resolve } = require('node:path');

const dir = process.env.HERALD_KAFKA_REQUEST_DIR;
const script = process.argv[1] ?? '';
// Only Herald's services (dist/apps/<service>/src/main.js), not the bench or npm around them.
if (dir && /apps[/\\][^/\\]+[/\\]src[/\\]main\.js$/.test(script)) {
  const service = basename(dirname(dirname(script)));
  const total = {};
  const groups = {};
  const count = (table, api) => (table[api] = (table[api] ?? 0) + 1);
  const Connection = require('kafkajs/src/network/connection');
  const send = Connection.prototype.send;
  Connection.prototype.send = function (args) {
    count(total, args.request.apiName);
    return send.call(this, args);
  };
  const Kafka = require('kafkajs').Kafka;
  const consumer = Kafka.prototype.consumer;
  Kafka.prototype.consumer = function (options) {
    const created = consumer.call(this, options);
    // Private groups end in a UUID; one name per view is enough.
    const group = String(options.groupId).replace(/-[0-9a-f]{8}-[0-9a-f-]{27}$/, '-*');
    const table = (groups[group] ??= {});
    created.on(created.events.REQUEST, (event) => count(table, event.payload.apiName));
    return created;
  };
  // Written aside and renamed into place: a reader never sees a half-written file (a loaded CI run
  // parsed one and failed on "Unexpected end of JSON input").
  const write = () => {
    mkdirSync(dir, { recursive: true });
    const file = resolve(dir, `${service}-${process.pid}.json`);
    const aside = resolve(dir, `.${service}-${process.pid}.json.tmp`);
    writeFileSync(aside, JSON.stringify({ service, pid: process.pid, at: Date.now(), total, groups }));
    renameSync(aside, file);
  };
  setInterval(write, Number(process.env.HERALD_KAFKA_REQUEST_INTERVAL_MS) || 10_000).unref();
  process.on('exit', write);
}
