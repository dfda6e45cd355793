import { readFileSync } from 'node:fs';

/** What node-postgres (and TypeORM) take as `ssl`: false for plaintext, or the TLS options used here. */
export type DatabaseTls = false | { rejectUnauthorized: boolean; ca?: string[] };

export interface DatabaseSettings {
  url: string;
  poolSize: number;
  tls: DatabaseTls;
}

/** The validated database env fragment (libs/config `databaseEnv`). */
export interface DatabaseEnv {
  DATABASE_URL: string;
  DATABASE_POOL_SIZE: number;
  DATABASE_TLS?: 'disable' | 'require' | 'verify-full';
  DATABASE_TLS_CA_FILE?: string;
}

/**
 * TLS options for node-postgres. `require` encrypts without checking who answers (libpq's
 * meaning); `verify-full` checks the chain against the CA file (or Node's store) and the host name.
 */
export function databaseTlsFrom(config: Pick<DatabaseEnv, 'DATABASE_TLS' | 'DATABASE_TLS_CA_FILE'>): DatabaseTls {
  switch (config.DATABASE_TLS ?? 'disable') {
    case 'disable':
      return false;
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-full':
      return {
        rejectUnauthorized: true,
        ...(config.DATABASE_TLS_CA_FILE ? { ca: [readFileSync(config.DATABASE_TLS_CA_FILE, 'utf8')] } : {}),
      };
  }
}

/** Connection settings for PersistenceModule.forRoot and migrateDatabase, read once at start. */
export function databaseSettingsFrom(config: DatabaseEnv): DatabaseSettings {
  return { url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE, tls: databaseTlsFrom(config) };
}
