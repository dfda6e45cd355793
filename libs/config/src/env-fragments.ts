import { accessSync, constants, statSync } from 'node:fs';
import { isIP, isIPv6 } from 'node:net';
import { z } from 'zod';
import { keysFromConfig } from '@herald/secret-box';

function isReadableFile(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Reusable field types for environment variables (all arrive as strings). */
export const env = {
  int: (def: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
    z.coerce
      .number({ error: 'must be a whole number' })
      .int('must be a whole number')
      .min(min, `must be at least ${min}`)
      .max(max, `must be at most ${max}`)
      .default(def),
  port: (def: number) =>
    z.coerce
      .number({ error: 'must be a port number' })
      .int('must be a port number')
      .min(0, 'must be a port number from 0 to 65535')
      .max(65535, 'must be a port number from 0 to 65535')
      .default(def),
  bool: (def: boolean) =>
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
      .default(def ? 'true' : 'false')
      .transform((v) => v === 'true' || v === '1' || v === 'yes'),
  str: (def: string) => z.string().default(def),
  list: (def: string[]) =>
    z
      .string()
      .default(def.join(','))
      .transform((v) =>
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ),
  logLevel: () =>
    z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        error: 'must be one of fatal, error, warn, info, debug, trace, silent',
      })
      .default('info'),
  /** Path of a file that must exist and be readable at start (certificates mounted from Secrets). */
  file: () => z.string().refine(isReadableFile, 'must name a readable file').optional(),
  postgresUrl: () =>
    z
      .string({ error: 'is required (postgres://user:password@host:port/database)' })
      .refine((v) => /^postgres(ql)?:\/\/.+/.test(v), 'must be a postgres:// URL'),
};

/** Variables every service reads. */
export const commonEnv = {
  HTTP_HOST: env.str('127.0.0.1'),
  LOG_LEVEL: env.logLevel(),
  SHUTDOWN_TIMEOUT_MS: env.int(15000, 100, 600000),
};

/** Per tenant API key request limit, for services serving the admin API. */
export const apiRateLimitEnv = {
  API_RATE_LIMIT_PER_SECOND: env.int(50, 1, 100_000),
  API_RATE_LIMIT_BURST: env.int(100, 1, 100_000),
};

/** Variables for services that talk to Kafka. */
export const kafkaEnv = {
  KAFKA_BROKERS: env
    .list(['127.0.0.1:9092'])
    .refine(
      (list) => list.length > 0 && list.every((b) => /^[^\s:]+:\d{1,5}$/.test(b)),
      'must be a comma-separated list of host:port',
    ),
  KAFKA_CLIENT_ID: z.string().optional(),
  KAFKA_TOPIC_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9._-]*$/, 'may contain only letters, digits, ".", "_" and "-"')
    .default(''),
  KAFKA_TOPIC_PARTITIONS: env.int(3, 1, 10000),
  KAFKA_REPLICATION_FACTOR: env.int(1, 1, 32),
  /** min.insync.replicas of the topics Herald creates; 0: the broker's default. */
  KAFKA_MIN_INSYNC_REPLICAS: env.int(0, 0, 32),
  KAFKA_CREATE_TOPICS: env.bool(true),
  KAFKA_SASL_MECHANISM: z
    .enum(['none', 'plain', 'scram-sha-256', 'scram-sha-512'], {
      error: 'must be one of none, plain, scram-sha-256, scram-sha-512',
    })
    .default('none'),
  KAFKA_SASL_USERNAME: z.string().optional(),
  KAFKA_SASL_PASSWORD: z.string().optional(),
  KAFKA_TLS: env.bool(false),
  /** PEM bundle of the CA(s) that signed the brokers' certificates; default: Node's CA store. */
  KAFKA_TLS_CA_FILE: env.file(),
  /** Client certificate and key (PEM) for brokers that authenticate clients by TLS. */
  KAFKA_TLS_CERT_FILE: env.file(),
  KAFKA_TLS_KEY_FILE: env.file(),
};

/** `ip`, `ip:port` or `[ipv6]:port`: what node:dns accepts as a server (no names: they would need a resolver themselves). */
function isDnsServer(entry: string): boolean {
  if (isIPv6(entry)) return true;
  const match = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(entry) ?? /^([^:[\]]+)(?::(\d{1,5}))?$/.exec(entry);
  if (!match || isIP(match[1]) === 0) return false;
  return match[2] === undefined || (Number(match[2]) >= 1 && Number(match[2]) <= 65535);
}

/** Variables for services that resolve webhook hosts (subscription-api at creation, the deliverer at send time). */
export const dnsEnv = {
  /** DNS servers asked for webhook hosts' A and AAAA records; empty: the system resolver. */
  DNS_SERVERS: env
    .list([])
    .refine(
      (list) => list.every(isDnsServer),
      'must be comma-separated IP addresses with optional ports, e.g. 10.0.0.10:53,[fd00::53]:53',
    ),
};

/**
 * Key-encryption keys for webhook secrets (services that write or use them): `id:base64` of 32
 * bytes, comma-separated, the first sealing; or a file of such lines. One of the two is required.
 */
export const secretKeysEnv = {
  HERALD_KEKS: z.string().optional(),
  HERALD_KEK_FILE: env.file(),
};

/** Variables for services that use PostgreSQL. */
export const databaseEnv = {
  DATABASE_URL: env.postgresUrl(),
  DATABASE_POOL_SIZE: env.int(10, 1, 200),
  /** disable: plaintext; require: encrypted, server not verified; verify-full: CA chain and host name verified. */
  DATABASE_TLS: z
    .enum(['disable', 'require', 'verify-full'], { error: 'must be one of disable, require, verify-full' })
    .default('disable'),
  /** PEM bundle of the CA(s) that signed the server's certificate; default: Node's CA store. */
  DATABASE_TLS_CA_FILE: env.file(),
};

type Checked = Record<string, unknown>;

/**
 * Rules spanning several variables, which zod cannot check one variable at a time; loadConfig applies
 * each to every schema holding all of its keys. A problem names the variable.
 */
export const crossFieldRules: { keys: string[]; check: (c: Checked) => string | undefined }[] = [
  {
    keys: ['KAFKA_SASL_MECHANISM', 'KAFKA_SASL_USERNAME'],
    check: (c) =>
      c.KAFKA_SASL_MECHANISM !== 'none' && !c.KAFKA_SASL_USERNAME
        ? `KAFKA_SASL_USERNAME: is required when KAFKA_SASL_MECHANISM is ${c.KAFKA_SASL_MECHANISM}`
        : undefined,
  },
  {
    keys: ['KAFKA_SASL_MECHANISM', 'KAFKA_SASL_PASSWORD'],
    check: (c) =>
      c.KAFKA_SASL_MECHANISM !== 'none' && !c.KAFKA_SASL_PASSWORD
        ? `KAFKA_SASL_PASSWORD: is required when KAFKA_SASL_MECHANISM is ${c.KAFKA_SASL_MECHANISM}`
        : undefined,
  },
  {
    keys: ['KAFKA_TLS', 'KAFKA_TLS_CA_FILE', 'KAFKA_TLS_CERT_FILE', 'KAFKA_TLS_KEY_FILE'],
    check: (c) => {
      const set = ['KAFKA_TLS_CA_FILE', 'KAFKA_TLS_CERT_FILE', 'KAFKA_TLS_KEY_FILE'].find((k) => c[k]);
      // A certificate without TLS would silently fall back to plaintext.
      if (set && !c.KAFKA_TLS) return `${set}: is set but KAFKA_TLS is false`;
      if (Boolean(c.KAFKA_TLS_CERT_FILE) !== Boolean(c.KAFKA_TLS_KEY_FILE)) {
        return `${c.KAFKA_TLS_CERT_FILE ? 'KAFKA_TLS_KEY_FILE' : 'KAFKA_TLS_CERT_FILE'}: is required with ${c.KAFKA_TLS_CERT_FILE ? 'KAFKA_TLS_CERT_FILE' : 'KAFKA_TLS_KEY_FILE'}`;
      }
      return undefined;
    },
  },
  {
    keys: ['HERALD_KEKS', 'HERALD_KEK_FILE'],
    check: (c) => {
      if (c.HERALD_KEKS === undefined && c.HERALD_KEK_FILE === undefined)
        return 'HERALD_KEKS: is required (or HERALD_KEK_FILE): id:base64 of a 32-byte key-encryption key for webhook secrets';
      try {
        keysFromConfig(c as { HERALD_KEKS?: string; HERALD_KEK_FILE?: string });
        return undefined;
      } catch (error) {
        return (error as Error).message.replace(/^(HERALD_KEK\w*) /, '$1: ');
      }
    },
  },
  {
    keys: ['DATABASE_TLS', 'DATABASE_TLS_CA_FILE'],
    check: (c) =>
      c.DATABASE_TLS_CA_FILE && c.DATABASE_TLS !== 'verify-full'
        ? `DATABASE_TLS_CA_FILE: is only used with DATABASE_TLS=verify-full (now ${c.DATABASE_TLS})`
        : undefined,
  },
];
