// Kafka requests per second per service, API and consumer group, from the files
// request-count-hook.js writes: reads them, waits, reads them again and prints the difference.
//   node tools/kafka/request-rates.mjs DIR [--seconds 60]
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { seconds: { type: 'string', default: '60' } },
});
const dir = positionals[0];
const seconds = Number(values.seconds);
if (!dir) throw new Error('usage: node tools/kafka/request-rates.mjs DIR [--seconds 60]');
if (!Number.isFinite(seconds) || seconds <= 0)
  throw new Error(`--seconds must be a positive number, got ${values.seconds}`);

const read = () =>
  new Map(
    readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => [f, JSON.parse(readFileSync(resolve(dir, f), 'utf8'))]),
  );
const before = read();
// The hook writes every 10 s: wait past a write after the window.
await sleep((seconds + 10) * 1000);
const after = read();

const rates = (from = {}, to = {}, dt) =>
  Object.entries(to)
    .map(([api, n]) => [api, (n - (from[api] ?? 0)) / dt])
    .filter(([, r]) => r > 0)
    .sort((a, b) => b[1] - a[1]);
const fmt = (list) => list.map(([api, r]) => `${api} ${r.toFixed(2)}`).join(', ') || '-';
let sum = 0;
for (const [file, b] of after) {
  const a = before.get(file);
  if (!a || a.at === b.at) continue;
  const dt = (b.at - a.at) / 1000;
  const total = rates(a.total, b.total, dt);
  const perSecond = total.reduce((s, [, r]) => s + r, 0);
  sum += perSecond;
  console.log(`${b.service} (${dt.toFixed(0)} s): ${perSecond.toFixed(2)} requests/s: ${fmt(total)}`);
  for (const [group, counts] of Object.entries(b.groups)) {
    console.log(`  ${group}: ${fmt(rates(a.groups[group], counts, dt))}`);
  }
}
console.log(`all services: ${sum.toFixed(2)} requests/s`);
