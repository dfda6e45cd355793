// npm start: install what is missing, build, then run Kafka, PostgreSQL and all five services.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { build, ensureDeps, root } from './ensure-deps.mjs';

ensureDeps();
build();
const child = spawn(process.execPath, ['--enable-source-maps', resolve(root, 'dist/tools/stack/src/cli.js'), 'up'], {
  cwd: root,
  stdio: 'inherit',
});
// Ctrl-C reaches the child through the terminal's process group; forward SIGTERM explicitly.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code) => process.exit(code ?? 1));
