import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PUBLIC_ROUTES } from '@herald/contracts';

describe("the Helm chart's Ingress routes", () => {
  it('equal PUBLIC_ROUTES (after adding a route run: node tools/deploy/sync-public-routes.mjs)', () => {
    const chart = JSON.parse(readFileSync(resolve(__dirname, '../../k8s/herald/files/public-routes.json'), 'utf8'));
    expect(chart).toEqual(PUBLIC_ROUTES.map(({ prefix, service }) => ({ prefix, service })));
  });
});
