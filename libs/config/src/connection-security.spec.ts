import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError, databaseEnv, kafkaEnv, loadConfig } from './index';

const schema = z.object({ ...kafkaEnv, ...databaseEnv });
const dir = mkdtempSync(join(tmpdir(), 'herald-config-'));
const caFile = join(dir, 'ca.pem');
writeFileSync(caFile, '-----BEGIN CERTIFICATE-----\n');
const base = { DATABASE_URL: 'postgres://herald@db:5432/herald' };

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(schema, { ...base, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('Kafka and PostgreSQL connection security settings', () => {
  it('defaults to plaintext without SASL', () => {
    const config = loadConfig(schema, base);
    expect(config.KAFKA_SASL_MECHANISM).toBe('none');
    expect(config.KAFKA_TLS).toBe(false);
    expect(config.DATABASE_TLS).toBe('disable');
  });

  it('accepts SCRAM with credentials, TLS with a CA file and verified PostgreSQL TLS', () => {
    const config = loadConfig(schema, {
      ...base,
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'herald',
      KAFKA_SASL_PASSWORD: 'kafka-secret',
      KAFKA_TLS: 'true',
      KAFKA_TLS_CA_FILE: caFile,
      DATABASE_TLS: 'verify-full',
      DATABASE_TLS_CA_FILE: caFile,
    });
    expect(config.KAFKA_SASL_MECHANISM).toBe('scram-sha-512');
    expect(config.KAFKA_TLS_CA_FILE).toBe(caFile);
    expect(config.DATABASE_TLS).toBe('verify-full');
  });

  it('names an unknown SASL mechanism or TLS mode', () => {
    expect(problemsOf({ KAFKA_SASL_MECHANISM: 'gssapi', DATABASE_TLS: 'prefer' })).toEqual([
      'KAFKA_SASL_MECHANISM: must be one of none, plain, scram-sha-256, scram-sha-512',
      'DATABASE_TLS: must be one of disable, require, verify-full',
    ]);
  });

  it('requires both SASL credentials once a mechanism is chosen, without echoing the password', () => {
    const problems = problemsOf({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_PASSWORD: 'do-not-print-me' });
    expect(problems).toEqual(['KAFKA_SASL_USERNAME: is required when KAFKA_SASL_MECHANISM is plain']);
    expect(problemsOf({ KAFKA_SASL_MECHANISM: 'scram-sha-256', KAFKA_SASL_USERNAME: 'u' })).toEqual([
      'KAFKA_SASL_PASSWORD: is required when KAFKA_SASL_MECHANISM is scram-sha-256',
    ]);
  });

  it('refuses a certificate file that does not exist', () => {
    expect(problemsOf({ KAFKA_TLS: 'true', KAFKA_TLS_CA_FILE: join(dir, 'missing.pem') })).toEqual([
      'KAFKA_TLS_CA_FILE: must name a readable file',
    ]);
  });

  it('refuses certificate settings that would be ignored', () => {
    expect(problemsOf({ KAFKA_TLS_CA_FILE: caFile })).toEqual(['KAFKA_TLS_CA_FILE: is set but KAFKA_TLS is false']);
    expect(problemsOf({ KAFKA_TLS: 'true', KAFKA_TLS_CERT_FILE: caFile })).toEqual([
      'KAFKA_TLS_KEY_FILE: is required with KAFKA_TLS_CERT_FILE',
    ]);
    expect(problemsOf({ DATABASE_TLS: 'require', DATABASE_TLS_CA_FILE: caFile })).toEqual([
      'DATABASE_TLS_CA_FILE: is only used with DATABASE_TLS=verify-full (now require)',
    ]);
  });

  it('applies a rule only to schemas that hold its variables', () => {
    const dbOnly = z.object(databaseEnv);
    expect(loadConfig(dbOnly, { ...base, KAFKA_SASL_MECHANISM: 'plain' }).DATABASE_TLS).toBe('disable');
  });
});
