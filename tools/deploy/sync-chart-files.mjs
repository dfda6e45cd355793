// Copies the public routes and alert rules into the chart, since Helm reads only files inside it;
// chart-files.spec.ts fails on a copy out of sync.
//   node tools/deploy/sync-chart-files.mjs [--check]   (--check: exit 1 if one differs)
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { root } from './tools.mjs';

export function publicRoutesFromSource() {
  const source = readFileSync(resolve(root, 'libs/contracts/src/public-routes.ts'), 'utf8');
  const table = source.match(/PUBLIC_ROUTES\s*=\s*\[([\s\S]*?)\]\s*as const/);
  if (!table) throw new Error('PUBLIC_ROUTES table not found in libs/contracts/src/public-routes.ts');
  return [...table[1].matchAll(/\{\s*prefix:\s*'([^']+)',\s*service:\s*'([^']+)'\s*\}/g)].map(
    ([, prefix, service]) => ({ prefix, service }),
  );
}

export const CHART_FILES = [
  {
    target: 'k8s/herald/files/public-routes.json',
    content: () => `${JSON.stringify(publicRoutesFromSource(), null, 2)}\n`,
  },
  {
    target: 'k8s/herald/files/herald-alerts.rules.yml',
    content: () => readFileSync(resolve(root, 'observability/prometheus/herald-alerts.rules.yml'), 'utf8'),
  },
];

if (import.meta.url === `file://${process.argv[1]}`) {
  let stale = 0;
  for (const file of CHART_FILES) {
    const path = resolve(root, file.target);
    const wanted = file.content();
    let current = '';
    try {
      current = readFileSync(path, 'utf8');
    } catch {
      /* not there yet */
    }
    if (current === wanted) continue;
    if (process.argv.includes('--check')) {
      console.error(`${file.target} is out of date: run node tools/deploy/sync-chart-files.mjs`);
      stale++;
    } else {
      writeFileSync(path, wanted);
      console.log(`updated ${file.target}`);
    }
  }
  process.exit(stale > 0 ? 1 : 0);
}
