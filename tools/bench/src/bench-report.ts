import type { BenchResult } from './bench-run';
import { HARNESS, type PhaseCost, type ProcessCost } from './bench-context';
import type { LatencyResult } from './latency-phase';
import { OTHER_PROCESSES } from './process-sampler';

const kib = (bytes: number) => `${bytes / 1024} KiB`;
const num = (n: number | null | undefined) => (n === null || n === undefined ? '–' : n.toLocaleString('en-US'));

interface CostColumn {
  name: string;
  cost: PhaseCost | null;
  /** Idle: cores, not CPU-s per 1,000 deliveries. */
  idle?: boolean;
}

/** CPU per process (rows) for every phase (columns): CPU-s per 1,000 deliveries, cores when idle. */
function costTable(columns: CostColumn[]): string[] {
  const measured = columns.filter((c) => c.cost !== null);
  if (measured.length === 0) return [];
  const names = [...new Set(measured.flatMap((c) => Object.keys(c.cost!.processes)))];
  const harness = new Set<string>(Object.values(HARNESS));
  const herald = names.filter((n) => !harness.has(n) && n !== OTHER_PROCESSES);
  const cell = (c: CostColumn, pick: (cost: PhaseCost) => ProcessCost | undefined) => {
    const figures = pick(c.cost!);
    if (!figures) return '–';
    return num(c.idle ? figures.cores : figures.cpuSecondsPer1000);
  };
  const lines = [
    '',
    'CPU per process: CPU-s per 1,000 deliveries (idle: cores busy on average).',
    '',
    `| process | ${measured.map((c) => c.name).join(' | ')} |`,
    `|---|${measured.map(() => '---:').join('|')}|`,
  ];
  const row = (label: string, pick: (cost: PhaseCost) => ProcessCost | undefined) =>
    lines.push(`| ${label} | ${measured.map((c) => cell(c, pick)).join(' | ')} |`);
  for (const name of herald) row(name, (cost) => cost.processes[name]);
  row('**whole box** (Herald + Kafka + PostgreSQL)', (cost) => cost.wholeBox);
  for (const name of names.filter((n) => harness.has(n))) row(`${name} (harness)`, (cost) => cost.processes[name]);
  row(`${OTHER_PROCESSES} (not this run)`, (cost) => cost.processes[OTHER_PROCESSES]);
  return lines;
}

/** The short markdown summary printed at the end and written beside the JSON. */
export function markdownReport(result: BenchResult): string {
  const lines: string[] = [];
  const m = result.machine;
  const flags = [result.quick ? 'quick' : null, result.filter ? 'payload filter on every webhook' : null].filter(
    Boolean,
  );
  lines.push(`## Herald benchmark ${result.date}${flags.length ? ` (${flags.join(', ')})` : ''}`);
  lines.push('');
  lines.push(
    `${m.cores} cores (${m.cpuModel}), ${Math.round(m.memoryMb / 1024)} GiB, Node ${m.node}; before the bench started anything ${m.busyCoresAtStart} cores were busy and the load average was ${m.loadAverageAtStart.join(' / ')} (${m.loadAverageAtEnd.join(' / ')} at the end)${m.contended ? ' — **taken under contention** (other work on the same cores)' : ''}.`,
  );
  lines.push(
    `Partitions ${result.settings.partitions}, deliverer concurrency ${result.settings.deliveryConcurrency}/partition, per endpoint ${result.settings.endpointConcurrency} in flight and ${result.settings.endpointRate || 'unlimited'} requests/s, ${result.settings.tenants} tenants per phase, ${result.settings.warmupMs / 1000} s warm-up + ${result.settings.durationMs / 1000} s measured, ${result.settings.servers} receiver processes, Kafka JIT ${result.settings.kafkaJit} (tools/kafka KAFKA_JIT).`,
  );
  if (result.idle?.cost) {
    const c = result.idle.cost;
    lines.push('');
    lines.push(
      `Idle (no traffic, ${result.idle.measuredSeconds} s): whole box ${c.wholeBox.cores} cores (${Object.entries(
        c.processes,
      )
        .map(([name, p]) => `${name} ${p.cores}`)
        .join(', ')}).`,
    );
  }
  lines.push('');
  lines.push('| run | fan-out | body | deliveries/s | events/s | × baseline | lost | dup | audit rows |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const b of result.baseline) {
    lines.push(
      `| bare undici POST loop (own process) | – | ${kib(b.bodyBytes)} | ${num(b.deliveriesPerSecond)} | – | 1 | ${num(b.lost)} | ${num(b.duplicates)} | – |`,
    );
  }
  for (const t of result.throughput) {
    lines.push(
      `| Herald${t.filtered ? ', payload filter on every webhook' : ''} | ${t.fanout} | ${kib(t.bodyBytes)} | ${num(t.deliveriesPerSecond)} | ${num(t.eventsPerSecond)} | ${t.ratioToBaseline ?? '–'} | ${num(t.lost)} | ${num(t.duplicates)} | ${num(t.audit.delivered)}/${num(t.expected)} |`,
    );
  }
  const latencyRows = [...result.lowRate, result.latency, result.isolation].filter(
    (r): r is LatencyResult => r !== null,
  );
  if (latencyRows.length > 0) {
    lines.push('');
    lines.push(
      '| latency (publish → arrival, healthy endpoints) | events/s | p50 ms | p95 ms | p99 ms | max ms | bench publish lag p99 ms | not arrived |',
    );
    lines.push('|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of latencyRows) {
      lines.push(
        `| ${r.name} | ${num(r.ratePerSecond)} | ${r.latencyMs.p50} | ${r.latencyMs.p95} | ${r.latencyMs.p99} | ${r.latencyMs.max} | ${r.publishLagMs.p99} | ${num(r.notArrived)} |`,
      );
    }
  }
  lines.push(
    ...costTable([
      { name: 'idle', cost: result.idle?.cost ?? null, idle: true },
      ...result.baseline.map((b) => ({ name: `baseline ${kib(b.bodyBytes)}`, cost: b.cost })),
      ...result.throughput.map((t) => ({
        name: `f${t.fanout} ${kib(t.bodyBytes)}${t.filtered ? ' filtered' : ''}`,
        cost: t.cost,
      })),
      ...latencyRows.map((r) => ({
        name: `${r.ratePerSecond}/s f${r.fanout}${r.misbehaving.hanging > 0 ? ' mixed' : ''}`,
        cost: r.cost,
      })),
    ]),
  );
  lines.push('');
  lines.push('| issue | target | value | met |');
  lines.push('|---:|---|---:|---|');
  for (const t of Object.values(result.targets)) {
    lines.push(
      `| ${t.issue} | ${t.target} | ${num(t.value)} | ${t.met === null ? 'not measured' : t.met ? 'yes' : 'no'} |`,
    );
  }
  lines.push('');
  lines.push(
    `Headline: ${num(result.deliveriesPerSecond)} deliveries/s, ${num(result.cpuSecondsPer1000)} CPU-s per 1,000 (whole box), isolation ratio ${num(result.isolationRatio)}${result.filteredRatio != null ? `, with a payload filter on every webhook ${num(result.filteredRatio)}× the unfiltered rate` : ''}. Signatures sampled and verified: ${result.signatures.checked - result.signatures.bad}/${result.signatures.checked}. Receivers' busiest phase: ${num(result.receiverPeakCores)} of a core per receiver process${(result.receiverPeakCores ?? 0) >= 0.8 ? ' — **the receivers may have been the bound** (run with more --servers)' : ''}. Every delivery confirmed: ${result.allConfirmed ? 'yes' : 'no'}.`,
  );
  return `${lines.join('\n')}\n`;
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/**
 * Latency by percentile as an SVG line chart. The x axis is in "nines" (−log10 of the fraction
 * above), so p90, p99 and p99.9 are evenly spaced and the tail is visible.
 */
export function latencyChartSvg(series: { name: string; curve: { percentile: number; ms: number }[] }[]): string {
  const width = 720;
  const height = 400;
  const pad = { left: 64, right: 20, top: 36, bottom: 48 };
  const maxNines = 4;
  const nines = (p: number) => Math.min(maxNines, p >= 100 ? maxNines : -Math.log10(1 - p / 100));
  const maxMs = Math.max(1, ...series.flatMap((s) => s.curve.map((c) => c.ms)));
  const x = (p: number) => pad.left + (nines(p) / maxNines) * (width - pad.left - pad.right);
  const y = (ms: number) => height - pad.bottom - (ms / maxMs) * (height - pad.top - pad.bottom);
  const colours = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
  );
  parts.push(`<rect width="${width}" height="${height}" fill="white"/>`);
  parts.push(
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14">Herald publish → arrival latency by percentile</text>`,
  );
  for (const p of [0, 90, 99, 99.9, 99.99]) {
    const px = x(p);
    parts.push(`<line x1="${px}" y1="${pad.top}" x2="${px}" y2="${height - pad.bottom}" stroke="#ddd"/>`);
    parts.push(`<text x="${px}" y="${height - pad.bottom + 16}" text-anchor="middle">p${p}</text>`);
  }
  for (let i = 0; i <= 4; i++) {
    const ms = (maxMs * i) / 4;
    parts.push(`<line x1="${pad.left}" y1="${y(ms)}" x2="${width - pad.right}" y2="${y(ms)}" stroke="#eee"/>`);
    parts.push(`<text x="${pad.left - 6}" y="${y(ms) + 4}" text-anchor="end">${Math.round(ms)}</text>`);
  }
  parts.push(`<text x="16" y="${height / 2}" transform="rotate(-90 16 ${height / 2})" text-anchor="middle">ms</text>`);
  parts.push(`<text x="${width / 2}" y="${height - 10}" text-anchor="middle">percentile</text>`);
  series.forEach((s, i) => {
    const colour = colours[i % colours.length];
    const points = s.curve.map((c) => `${x(c.percentile).toFixed(1)},${y(c.ms).toFixed(1)}`).join(' ');
    parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" points="${points}"/>`);
    parts.push(`<rect x="${pad.left + 10}" y="${pad.top + 6 + i * 18}" width="12" height="3" fill="${colour}"/>`);
    parts.push(`<text x="${pad.left + 28}" y="${pad.top + 11 + i * 18}">${escape(s.name)}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
