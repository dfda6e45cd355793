import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { distDir } from '@herald/stack';

/**
 * The built .js of one of the bench's child-process entry points: beside this file when it runs
 * from dist/, else in dist/ (the integration test runs the TypeScript sources and builds the
 * bench first).
 */
export function childScript(name: string): string {
  for (const candidate of [resolve(__dirname, `${name}.js`), resolve(distDir, 'tools/bench/src', `${name}.js`)]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(
    `${name}.js is not built: run npm run bench (or npx swc tools/bench/src --config-file .swcrc -d dist)`,
  );
}
