// The admin portal's browser tests drive Debian's Chromium (playwright-core, no browser download).
// Installs it from Debian's packages when absent; where that is impossible (not root, no apt)
// it says so loudly and the browser suite skips itself, except under CI, where it fails.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM = '/usr/bin/chromium';

export function ensureChromium() {
  if (existsSync(CHROMIUM)) return true;
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const sudo = !asRoot && spawnSync('sudo', ['-n', 'true']).status === 0 ? ['sudo', '-n'] : [];
  if ((asRoot || sudo.length) && existsSync('/usr/bin/apt-get')) {
    console.log('> installing Chromium for the portal browser tests (apt-get install chromium)');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const apt = (...args) =>
      spawnSync(sudo[0] ?? 'apt-get', [...sudo.slice(1), ...(sudo.length ? ['apt-get'] : []), ...args], {
        stdio: 'inherit',
        env,
      });
    apt('update', '-qq');
    apt('install', '-y', '-qq', 'chromium');
  }
  if (existsSync(CHROMIUM)) return true;
  console.warn(
    `\n${'!'.repeat(78)}\n! Chromium is not installed and could not be installed here (needs root and apt-get).\n` +
      `! The admin portal browser tests will be SKIPPED. Install it with: apt-get install chromium\n${'!'.repeat(78)}\n`,
  );
  return false;
}

if (import.meta.url === `file://${process.argv[1]}`) ensureChromium();
