// npm run test:kafka-compat: the integration suite (by default) against the supported Kafka 3.9
// line instead of the default 4.x. Own HERALD_HOME and ports, so it can run beside npm test.
// Extra args go to jest, e.g. `npm run test:kafka-compat -- --selectProjects integration e2e`.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { build, ensureDeps, root } from '../scripts/ensure-deps.mjs';

const env = {
  ...process.env,
  NX_DAEMON: 'false',
  KAFKA_VERSION: process.env.KAFKA_VERSION ?? '3.9',
  // A 3.9 broker cannot read data a 4.x one formatted, and the jars differ: never share a home.
  HERALD_HOME: process.env.HERALD_HOME ?? resolve(root, '.herald/kafka-compat'),
  HERALD_TEST_KAFKA_PORT: process.env.HERALD_TEST_KAFKA_PORT ?? '19192',
  HERALD_TEST_KAFKA_CONTROLLER_PORT: process.env.HERALD_TEST_KAFKA_CONTROLLER_PORT ?? '19193',
  HERALD_TEST_POSTGRES_PORT: process.env.HERALD_TEST_POSTGRES_PORT ?? '54340',
};
Object.assign(process.env, env);
delete process.env.HERALD_TEST_KAFKA_BROKERS; // the compat broker, never one a caller started

ensureDeps();
build();
const args = process.argv.slice(2);
const projects = args.includes('--selectProjects') ? [] : ['--selectProjects', 'integration'];
console.log(`\n> integration tests against Kafka ${env.KAFKA_VERSION} (HERALD_HOME=${env.HERALD_HOME})`);
let status = 1;
try {
  status =
    spawnSync('npx', ['jest', '--ci', '--maxWorkers=2', '--forceExit', ...projects, ...args], {
      cwd: root,
      stdio: 'inherit',
      env: process.env,
    }).status ?? 1;
} finally {
  const { stopTestInfra } = createRequire(import.meta.url)(resolve(root, 'dist/tools/testing/src/infra.js'));
  await stopTestInfra().catch((error) => console.error(`cleanup: ${error.message}`));
}
console.log(
  status === 0
    ? `\nKafka ${env.KAFKA_VERSION} compatibility run passed.`
    : `\nKafka ${env.KAFKA_VERSION} compatibility run failed.`,
);
process.exit(status);
