// The Helm chart's pre-install/pre-upgrade Job: applies pending migrations under the same
// advisory lock the services take, then exits, so a new release never starts on an old schema.
import { z } from 'zod';
import { commonEnv, databaseEnv, loadConfigOrExit } from '@herald/config';
import { createLogger } from '@herald/observability';
import { databaseSettingsFrom, migrateDatabase } from '@herald/persistence';

const config = loadConfigOrExit(z.object({ LOG_LEVEL: commonEnv.LOG_LEVEL, ...databaseEnv }), 'migrate');
const logger = createLogger('migrate', config.LOG_LEVEL);
const { url, tls } = databaseSettingsFrom(config);

migrateDatabase(url, tls).then(
  (applied) => {
    logger.info({ applied }, applied.length > 0 ? `applied ${applied.length} migration(s)` : 'schema is up to date');
    process.exit(0);
  },
  (error: Error) => {
    logger.fatal({ err: error }, 'migration failed');
    process.exit(1);
  },
);
