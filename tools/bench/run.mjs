// npm run bench: installs what is missing, builds the services and the harness with swc (into
// HERALD_DIST, default dist/), then runs the benchmark with the given flags.
import { execSync, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { build, ensureDeps, root } from '../scripts/ensure-deps.mjs';

ensureDeps();
build();
const out = process.env.HERALD_DIST ?? 'dist';
execSync(`npx swc tools/bench/src --config-file .swcrc -d ${out} --quiet --ignore '**/*.spec.ts,**/*.int-spec.ts'`, {
  cwd: root,
  stdio: 'inherit',
});
// `--hops` first: the per-hop latency probe (hops.ts) instead of the benchmark.
const hops = process.argv[2] === '--hops';
const script = hops ? 'tools/bench/src/hops.js' : 'tools/bench/src/main.js';
const child = spawn(process.execPath, [resolve(root, out, script), ...process.argv.slice(hops ? 3 : 2)], {
  cwd: root,
  stdio: 'inherit',
});
// Ctrl-C reaches the child too (same process group); wait for its clean-up.
process.on('SIGINT', () => undefined);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
