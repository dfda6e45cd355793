import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { PUBLIC_ROUTES } from '@herald/contracts';

// After changing a source, run: node tools/deploy/sync-chart-files.mjs
const read = (path: string) => readFileSync(resolve(__dirname, '../..', path), 'utf8');
const alertsIn = (path: string) =>
  (parseYaml(read(path)) as { groups: { rules: { alert: string; expr: string }[] }[] }).groups.flatMap((g) => g.rules);

type PromQlParser = (typeof import('@prometheus-io/lezer-promql', { with: { 'resolution-mode': 'import' } }))['parser'];

describe("the Helm chart's copies of repository files", () => {
  it('routes the Ingress exactly as PUBLIC_ROUTES', () => {
    expect(JSON.parse(read('k8s/herald/files/public-routes.json'))).toEqual(
      PUBLIC_ROUTES.map(({ prefix, service }) => ({ prefix, service })),
    );
  });

  it('ships the alert rules of observability/prometheus unchanged', () => {
    expect(read('k8s/herald/files/herald-alerts.rules.yml')).toBe(
      read('observability/prometheus/herald-alerts.rules.yml'),
    );
  });
});

describe("the chart's alerts", () => {
  const alerts = [
    ...alertsIn('k8s/herald/files/herald-alerts.rules.yml'),
    ...alertsIn('k8s/herald/files/kubernetes-alerts.rules.yml'),
  ];

  it('have unique names, each explained in docs/operations.md', () => {
    const names = alerts.map((a) => a.alert);
    expect(new Set(names).size).toBe(names.length);
    const headings = read('docs/operations.md')
      .split('\n')
      .filter((line) => line.startsWith('### '))
      .map((line) => line.slice(4).trim());
    expect(names.filter((name) => !headings.includes(name))).toEqual([]);
  });

  it("Kubernetes rules parse with Prometheus's grammar", async () => {
    // An ES module: loaded dynamically from this CommonJS test.
    const { parser }: { parser: PromQlParser } = await import('@prometheus-io/lezer-promql');
    const broken = parser.parse('sum(rate(x[5m])');
    let sawError = false;
    broken.iterate({ enter: (node) => void (sawError ||= node.type.isError) });
    expect(sawError).toBe(true);
    for (const rule of alertsIn('k8s/herald/files/kubernetes-alerts.rules.yml')) {
      const errors: number[] = [];
      parser.parse(rule.expr).iterate({ enter: (node) => void (node.type.isError && errors.push(node.from)) });
      expect({ alert: rule.alert, errors }).toEqual({ alert: rule.alert, errors: [] });
    }
  });
});
