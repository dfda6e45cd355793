import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(__dirname, '../../..');
const GENERATED = resolve(__dirname, 'generated/openapi.ts');

describe('SDK types', () => {
  it('are what openapi-typescript makes of the checked-in OpenAPI document (regenerate: npx nx run sdk:generate)', () => {
    // The generator is ESM-only; run its CLI rather than load it into jest's CommonJS runtime.
    const current = execFileSync(
      process.execPath,
      [resolve(root, 'node_modules/openapi-typescript/bin/cli.js'), resolve(root, 'libs/webhooks/openapi.json')],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );
    expect(readFileSync(GENERATED, 'utf8')).toBe(current);
  });
});
