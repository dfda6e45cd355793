// Installs dependencies when node_modules is missing or older than package-lock.json, then
// builds the TypeScript sources into dist/ with swc. Plain Node, no dependencies, so it runs
// on a fresh clone before anything is installed.
import { execSync } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const run = (cmd) => execSync(cmd, { cwd: root, stdio: 'inherit' });

export function ensureDeps() {
  const stamp = resolve(root, 'node_modules/.herald-installed');
  const lock = resolve(root, 'package-lock.json');
  if (!existsSync(stamp) || statSync(stamp).mtimeMs < statSync(lock).mtimeMs) {
    // npm ci refuses this lockfile: some platform-only optional packages (e.g. @swc/core for
    // darwin) are not served by the registry here, so npm install (which honours the lock) is used.
    console.log('> installing dependencies (npm install)');
    run('npm install --no-audit --no-fund');
    writeFileSync(stamp, new Date().toISOString());
  }
}

export function build() {
  console.log('> building (swc)');
  const out = process.env.HERALD_DIST ?? 'dist';
  run(
    `npx swc apps libs tools/stack tools/testing/src --config-file .swcrc -d ${out} --quiet --ignore '**/*.spec.ts,**/*.int-spec.ts,apps/portal/**'`,
  );
  // The admin portal is a browser bundle (esbuild), served by subscription-api at /admin.
  run(`node apps/portal/build.mjs ${out}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  ensureDeps();
  build();
}
