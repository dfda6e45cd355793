// Copies PUBLIC_ROUTES (libs/contracts/src/public-routes.ts) into the Helm chart, which cannot
// read TypeScript: k8s/herald/files/public-routes.json feeds the Ingress template.
//   node tools/deploy/sync-public-routes.mjs          rewrite the chart's copy
//   node tools/deploy/sync-public-routes.mjs --check  exit 1 if it differs
// tools/deploy/public-routes.spec.ts compares the copy with the real import, so a route added
// to the table and not synced fails the unit tests.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { root } from './tools.mjs';

export const chartRoutesFile = resolve(root, 'k8s/herald/files/public-routes.json');

export function publicRoutesFromSource() {
  const source = readFileSync(resolve(root, 'libs/contracts/src/public-routes.ts'), 'utf8');
  const table = source.match(/PUBLIC_ROUTES\s*=\s*\[([\s\S]*?)\]\s*as const/);
  if (!table) throw new Error('PUBLIC_ROUTES table not found in libs/contracts/src/public-routes.ts');
  return [...table[1].matchAll(/\{\s*prefix:\s*'([^']+)',\s*service:\s*'([^']+)'\s*\}/g)].map(([, prefix, service]) => ({ prefix, service }));
}

export const render = (routes) => `${JSON.stringify(routes, null, 2)}\n`;

if (import.meta.url === `file://${process.argv[1]}`) {
  const wanted = render(publicRoutesFromSource());
  const current = readFileSync(chartRoutesFile, 'utf8');
  if (process.argv.includes('--check')) {
    if (current !== wanted) {
      console.error(`${chartRoutesFile} differs from PUBLIC_ROUTES: run node tools/deploy/sync-public-routes.mjs`);
      process.exit(1);
    }
  } else if (current !== wanted) {
    writeFileSync(chartRoutesFile, wanted);
    console.log(`updated ${chartRoutesFile}`);
  }
}
