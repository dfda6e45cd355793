// Loaded into each service with NODE_OPTIONS=--require (node refuses --cpu-prof there) when the
// bench runs with --cpu-prof DIR: profiles the whole process and writes
// DIR/<service>-<pid>.cpuprofile (open in Chrome DevTools or speedscope) when it exits.
const { Session } = require('node:inspector');
const { mkdirSync, writeFileSync } = require('node:fs');
const { basename, dirname, resolve } = require('node:path');

const dir = process.env.HERALD_CPU_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 1000 });
  session.post('Profiler.start');
  const service = basename(dirname(dirname(process.argv[1] ?? 'node')));
  process.on('exit', () => {
    // The in-process inspector session answers synchronously, so this completes before exit.
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      mkdirSync(dir, { recursive: true });
      writeFileSync(resolve(dir, `${service}-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
