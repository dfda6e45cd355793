// `npm test`'s deployment step: the image build check and the Helm chart check, each bounded
// in time (the first run on a machine builds helm and kubeconform from source: minutes).
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { root } from './tools.mjs';

const LIMIT_MS = 20 * 60_000;
let failed = false;
for (const script of ['check-image-build.mjs', 'check-chart.mjs']) {
  console.log(`\n> tools/deploy/${script}`);
  const result = spawnSync(process.execPath, [resolve(root, 'tools/deploy', script)], {
    cwd: root,
    stdio: 'inherit',
    timeout: LIMIT_MS,
  });
  if (result.error?.code === 'ETIMEDOUT')
    console.error(`tools/deploy/${script} did not finish within ${LIMIT_MS / 60_000} minutes`);
  failed = failed || result.status !== 0;
}
process.exit(failed ? 1 : 0);
