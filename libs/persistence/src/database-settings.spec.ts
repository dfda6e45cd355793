import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databaseSettingsFrom, databaseTlsFrom } from './database-settings';

describe('database settings', () => {
  it('connects in plaintext unless told otherwise', () => {
    expect(databaseSettingsFrom({ DATABASE_URL: 'postgres://h/db', DATABASE_POOL_SIZE: 5 })).toEqual({
      url: 'postgres://h/db',
      poolSize: 5,
      tls: false,
    });
  });

  it('require encrypts without verifying the server', () => {
    expect(databaseTlsFrom({ DATABASE_TLS: 'require' })).toEqual({ rejectUnauthorized: false });
  });

  it('verify-full checks the server against the CA file', () => {
    const ca = join(mkdtempSync(join(tmpdir(), 'herald-db-')), 'ca.pem');
    writeFileSync(ca, 'PG CA PEM');
    expect(databaseTlsFrom({ DATABASE_TLS: 'verify-full', DATABASE_TLS_CA_FILE: ca })).toEqual({
      rejectUnauthorized: true,
      ca: ['PG CA PEM'],
    });
    expect(databaseTlsFrom({ DATABASE_TLS: 'verify-full' })).toEqual({ rejectUnauthorized: true });
  });
});
