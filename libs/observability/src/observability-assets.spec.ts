import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { MetricsService } from './metrics.service';

/**
 * The checked-in dashboard and alert rules load, their PromQL parses with Prometheus's grammar,
 * and every metric they query is really exposed.
 */
const root = resolve(__dirname, '../../..');
const rulesFile = join(root, 'observability/prometheus/herald-alerts.rules.yml');
const dashboardFile = join(root, 'observability/grafana/herald-dashboard.json');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return entry === 'node_modules' ? [] : sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

/** Every metric name registered in the code, plus prom-client's default process metrics. */
function exposedMetricNames(): Set<string> {
  const names = new Set<string>();
  for (const file of [...sourceFiles(join(root, 'libs')), ...sourceFiles(join(root, 'apps'))]) {
    for (const match of readFileSync(file, 'utf8').matchAll(/name: '(herald_[a-z0-9_]+)'/g)) names.add(match[1]);
  }
  for (const metric of new MetricsService('check').registry.getMetricsAsArray()) names.add(metric.name);
  return names;
}

/** Grafana's variables are not PromQL: substitute what Grafana would. */
const asPromQl = (expr: string) => expr.replace(/\$__rate_interval/g, '5m').replace(/\$service/g, '.*');

type PromQlParser = (typeof import('@prometheus-io/lezer-promql', { with: { 'resolution-mode': 'import' } }))['parser'];
let parser: PromQlParser;

/** Parses with Prometheus's grammar; returns the metric names selected, or throws at a syntax error. */
function metricsIn(expr: string): string[] {
  const tree = parser.parse(expr);
  const names: string[] = [];
  const cursor = tree.cursor();
  do {
    if (cursor.type.isError) throw new Error(`PromQL syntax error at ${cursor.from} in: ${expr}`);
    if (cursor.type.name === 'Identifier' && cursor.node.parent?.type.name === 'VectorSelector') {
      names.push(expr.slice(cursor.from, cursor.to));
    }
  } while (cursor.next());
  return names;
}

const baseName = (name: string) => name.replace(/_(bucket|count|sum)$/, '');

describe('observability assets', () => {
  const exposed = exposedMetricNames();

  beforeAll(async () => {
    // An ES module: loaded dynamically from this CommonJS test.
    ({ parser } = await import('@prometheus-io/lezer-promql'));
  });

  it('knows the metrics it checks against', () => {
    expect(exposed).toContain('herald_delivery_attempts_total');
    expect(exposed).toContain('process_cpu_seconds_total');
    expect(() => metricsIn('sum(rate(x[5m])')).toThrow(/syntax error/);
  });

  it('alert rules load, parse, and cover delivery lag, dead letters and consumer lag', () => {
    const doc = parseYaml(readFileSync(rulesFile, 'utf8')) as {
      groups: { name: string; rules: Record<string, any>[] }[];
    };
    const rules = doc.groups.flatMap((g) => g.rules);
    const alerts = rules.map((r) => r.alert as string);
    expect(new Set(alerts).size).toBe(alerts.length);
    expect(alerts).toEqual(
      expect.arrayContaining(['HeraldDeliveryLagHigh', 'HeraldDeadLetters', 'HeraldConsumerLagHigh']),
    );
    for (const rule of rules) {
      expect(typeof rule.expr).toBe('string');
      expect(['warning', 'critical']).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary).toBeTruthy();
      if (rule.for !== undefined) expect(rule.for).toMatch(/^\d+[smh]$/);
      for (const name of metricsIn(rule.expr)) {
        if (!exposed.has(baseName(name))) throw new Error(`${rule.alert} queries ${name}, which nothing exposes`);
      }
    }
  });

  it('the Grafana dashboard loads and every panel queries metrics that exist', () => {
    const dashboard = JSON.parse(readFileSync(dashboardFile, 'utf8'));
    expect(dashboard).toMatchObject({ uid: 'herald-overview', schemaVersion: expect.any(Number) });
    const panels: any[] = dashboard.panels;
    expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
    const queried = new Set<string>();
    for (const panel of panels.filter((p) => p.type !== 'row')) {
      expect(panel.gridPos).toMatchObject({ w: expect.any(Number), h: expect.any(Number) });
      expect(panel.targets.length).toBeGreaterThan(0);
      for (const target of panel.targets) {
        for (const name of metricsIn(asPromQl(target.expr))) {
          if (!exposed.has(baseName(name)))
            throw new Error(`panel "${panel.title}" queries ${name}, which nothing exposes`);
          queried.add(baseName(name));
        }
      }
    }
    for (const name of [
      'herald_events_ingested_total',
      'herald_events_rejected_total',
      'herald_deliveries_fanned_out_total',
      'herald_kafka_consumer_lag',
      'herald_delivery_attempts_total',
      'herald_delivery_lag_seconds',
      'herald_dead_letters_total',
      'herald_outbox_backlog',
    ]) {
      expect(queried).toContain(name);
    }
  });
});
