// Starts real Kafka and PostgreSQL for integration and e2e tests, unless the caller (npm test)
// already did and passed them in HERALD_TEST_KAFKA_BROKERS / HERALD_TEST_DATABASE_URL.
// Uses the same scripts as `npm start`, from the swc build in dist/.
const { resolve } = require('node:path');

const root = resolve(__dirname, '../..');

module.exports = async (globalConfig) => {
  // The key-encryption key of webhook secrets for every service the tests start (one per run).
  if (!process.env.HERALD_KEKS && !process.env.HERALD_KEK_FILE) {
    process.env.HERALD_KEKS = `test:${require('node:crypto').randomBytes(32).toString('base64')}`;
  }
  const { build } = await import('../scripts/ensure-deps.mjs');
  build();
  const needsInfra = (globalConfig.selectProjects ?? ['integration']).some((p) => p !== 'unit');
  if (process.env.HERALD_TEST_KAFKA_BROKERS || !needsInfra) return;
  const { startTestInfra } = require(resolve(root, process.env.HERALD_DIST ?? 'dist', 'tools/testing/src/infra.js'));
  const infra = await startTestInfra();
  globalThis.__HERALD_TEST_INFRA__ = infra;
};
