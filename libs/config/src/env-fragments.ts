import { z } from 'zod';

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

/** Variables for services that talk to Kafka. */
export const kafkaEnv = {
  KAFKA_BROKERS: env.list(['127.0.0.1:9092']).refine(
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
  KAFKA_CREATE_TOPICS: env.bool(true),
};

/** Variables for services that use PostgreSQL. */
export const databaseEnv = {
  DATABASE_URL: env.postgresUrl(),
  DATABASE_POOL_SIZE: env.int(10, 1, 200),
};
