// Installs schemathesis (PyPI) into a git-ignored virtualenv under HERALD_HOME (default .herald/)
// when it is missing or another version; prints the path of its command. Needs python3 (3.9+).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { root } from './ensure-deps.mjs';

export const SCHEMATHESIS_VERSION = '4.32.5';

export function ensureSchemathesis() {
  const venv = resolve(process.env.HERALD_HOME ?? resolve(root, '.herald'), 'schemathesis-venv');
  const bin = resolve(venv, 'bin/schemathesis');
  const installed = () => {
    try {
      return execFileSync(resolve(venv, 'bin/pip'), ['show', 'schemathesis'], { encoding: 'utf8' }).includes(
        `Version: ${SCHEMATHESIS_VERSION}`,
      );
    } catch {
      return false;
    }
  };
  if (existsSync(bin) && installed()) return bin;
  console.error(`> installing schemathesis ${SCHEMATHESIS_VERSION} into ${venv}`);
  execFileSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' });
  execFileSync(
    resolve(venv, 'bin/pip'),
    ['install', '--quiet', '--disable-pip-version-check', `schemathesis==${SCHEMATHESIS_VERSION}`],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  return bin;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(ensureSchemathesis());
}
