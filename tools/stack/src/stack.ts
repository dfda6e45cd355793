import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { dirname, resolve } from 'node:path';
import { PUBLIC_ROUTES } from '@herald/contracts';
import { newKeyEntry } from '@herald/secret-box';
import { startGateway } from './gateway';
import { startKafka } from './kafka';
import { startPostgres } from './postgres';
import { heraldHome } from './paths';
import { freePort } from './ports';
import { SERVICE_NAMES, ServiceProcess, type ServiceName } from './services';

export interface InfraOptions {
  home: string;
  kafkaPort: number;
  kafkaControllerPort: number;
  postgresPort: number;
  database?: string;
}

export interface Infra {
  brokers: string;
  databaseUrl: string;
  stop: () => Promise<void>;
}

/** Kafka and PostgreSQL, started in parallel. */
export async function startInfra(options: InfraOptions): Promise<Infra> {
  const [kafka, postgres] = await Promise.all([
    startKafka({ home: options.home, port: options.kafkaPort, controllerPort: options.kafkaControllerPort }),
    startPostgres({ home: options.home, port: options.postgresPort, database: options.database ?? 'herald' }),
  ]);
  return {
    brokers: kafka.brokers,
    databaseUrl: postgres.url,
    stop: async () => {
      await Promise.allSettled([kafka.stop(), postgres.stop()]);
    },
  };
}

export interface StackOptions {
  brokers: string;
  databaseUrl: string;
  adminApiKey: string;
  logDir: string;
  topicPrefix?: string;
  ports?: Partial<Record<ServiceName | 'gateway', number>>;
  /** Extra environment per service (or for all with '*'). */
  env?: Partial<Record<ServiceName | '*', Record<string, string>>>;
  echoLogs?: boolean;
  /** How long each service may take to become ready (default 60 s). */
  readyTimeoutMs?: number;
  /** Instances of every service (default 1); the gateway spreads requests over them. */
  replicas?: number;
}

export interface Stack {
  /** The first instance of each service. */
  services: Record<ServiceName, ServiceProcess>;
  /** Every instance of each service (the first one included). */
  instances: Record<ServiceName, ServiceProcess[]>;
  gatewayUrl: string;
  stop: () => Promise<void>;
}

/**
 * The services run from dist/ with their production environment. Subscription-api starts first, since it
 * applies the migrations and creates the topics; the others then start in parallel.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const ports: Record<string, number> = {};
  for (const name of [...SERVICE_NAMES, 'gateway'] as const) {
    ports[name] = options.ports?.[name] ?? (await freePort());
  }
  const common = {
    KAFKA_BROKERS: options.brokers,
    KAFKA_TOPIC_PREFIX: options.topicPrefix ?? '',
    DATABASE_URL: options.databaseUrl,
    HERALD_ADMIN_API_KEY: options.adminApiKey,
    ...localKekEnv(options.env?.['*'] ?? {}),
    ...(options.env?.['*'] ?? {}),
  };
  const replicas = options.replicas ?? 1;
  if (!Number.isInteger(replicas) || replicas < 1)
    throw new Error(`replicas must be a positive integer, got ${replicas}`);
  const services = {} as Record<ServiceName, ServiceProcess>;
  const instances = {} as Record<ServiceName, ServiceProcess[]>;
  for (const name of SERVICE_NAMES) {
    instances[name] = [];
    for (let instance = 1; instance <= replicas; instance++) {
      instances[name].push(
        new ServiceProcess({
          name,
          port: instance === 1 ? ports[name] : await freePort(),
          env: { ...common, ...(options.env?.[name] ?? {}) },
          logDir: options.logDir,
          echo: options.echoLogs,
          readyTimeoutMs: options.readyTimeoutMs,
          instance,
        }),
      );
    }
    services[name] = instances[name][0];
  }
  const all = () => SERVICE_NAMES.flatMap((name) => instances[name]);
  const stopAll = async () => {
    await Promise.allSettled(all().map((s) => s.stop()));
  };
  let gateway: Server | null = null;
  try {
    // The first subscription-api applies the migrations and creates the topics; then the rest.
    await services['subscription-api'].start();
    await Promise.all(
      all()
        .filter((s) => s !== services['subscription-api'])
        .map((s) => s.start()),
    );
    gateway = await startGateway(
      ports.gateway,
      PUBLIC_ROUTES.map((route) => ({
        prefix: route.prefix,
        target: services[route.service].url,
        targets: instances[route.service].map((s) => s.url),
      })),
    );
  } catch (error) {
    await stopAll();
    throw error;
  }
  return {
    services,
    instances,
    gatewayUrl: `http://127.0.0.1:${ports.gateway}`,
    stop: async () => {
      await new Promise((r) => (gateway ? gateway.close(() => r(undefined)) : r(undefined)));
      await stopAll();
    },
  };
}

/**
 * Without a configured key-encryption key, a local stack uses one kept in HERALD_HOME (made on
 * first use, readable by its owner only), so secrets stored by one `npm start` open in the next.
 */
export function localKekEnv(env: Record<string, string>): Record<string, string> {
  const configured = ['HERALD_KEKS', 'HERALD_KEK_FILE'].some((k) => env[k] ?? process.env[k]);
  if (configured) return {};
  const file = heraldHome('secrets/kek');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, `${newKeyEntry('local')}\n`, { mode: 0o600, flag: 'wx' });
  }
  return { HERALD_KEK_FILE: file };
}

export const defaultLogDir = (home: string) => resolve(home, 'logs');
