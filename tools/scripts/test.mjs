// npm test: install what is missing, type-check, lint (including Nx module boundaries), build,
// then run every jest project (unit, integration, e2e). Jest's global setup starts the real
// Kafka and PostgreSQL; whatever happens, they are stopped before this exits.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { build, ensureDeps, root } from './ensure-deps.mjs';
import { ensureChromium } from './ensure-chromium.mjs';

const step = (title, cmd, args, env = {}) => {
  console.log(`\n> ${title}`);
  const result = spawnSync(cmd, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NX_DAEMON: 'false', ...env },
  });
  return result.status ?? 1;
};

ensureDeps();
let failed = step('type-check (tsc)', 'npx', ['tsc', '-p', 'tsconfig.json']) !== 0;
failed = step('type-check portal (tsc)', 'npx', ['tsc', '-p', 'apps/portal/tsconfig.json']) !== 0 || failed;
failed = step('lint (eslint + Nx module boundaries)', 'npm', ['run', '--silent', 'lint']) !== 0 || failed;
failed =
  step('deployment (image build without Docker, Helm chart)', 'node', ['tools/deploy/check.mjs']) !== 0 || failed;
build();
ensureChromium();
const jestArgs = ['jest', '--ci', '--maxWorkers=2', '--forceExit', ...process.argv.slice(2)];
let jestStatus = 1;
try {
  jestStatus = step('tests (jest: unit, integration, e2e)', 'npx', jestArgs);
} finally {
  // Normally jest's global teardown already did this; after a crash or Ctrl-C it may not have.
  const { stopTestInfra } = createRequire(import.meta.url)(resolve(root, 'dist/tools/testing/src/infra.js'));
  await stopTestInfra().catch((error) => console.error(`cleanup: ${error.message}`));
}
if (failed || jestStatus !== 0) {
  console.error(
    `\nnpm test failed (${failed ? 'type-check or lint' : ''}${failed && jestStatus ? ' and ' : ''}${jestStatus ? 'tests' : ''}).`,
  );
  process.exit(1);
}
console.log('\nnpm test passed.');
