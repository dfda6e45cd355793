// npm run chaos: installs what is missing, builds the services and the harness with swc (into
// HERALD_DIST, default dist/), then runs the chaos harness with the given flags.
import { execSync, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { build, ensureDeps, root } from '../scripts/ensure-deps.mjs';

ensureDeps();
build();
const out = process.env.HERALD_DIST ?? 'dist';
execSync(`npx swc tools/chaos/src --config-file .swcrc -d ${out} --quiet --ignore '**/*.spec.ts,**/*.int-spec.ts'`, {
  cwd: root,
  stdio: 'inherit',
});
const child = spawn(
  process.execPath,
  ['--enable-source-maps', resolve(root, out, 'tools/chaos/src/main.js'), ...process.argv.slice(2)],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
// Ctrl-C reaches the child too (same process group); wait for its clean-up.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
