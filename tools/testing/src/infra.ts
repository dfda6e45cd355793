import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { heraldHome } from '@herald/stack';
import { clearStalePostmaster, startInfra, stopKafka, type Infra } from '@herald/stack';

/** Test infrastructure lives apart from `npm start`'s: own ports, own data, wiped each run. */
export const TEST_PORTS = { kafka: 19092, kafkaController: 19093, postgres: 54339 };

export async function startTestInfra(): Promise<Infra> {
  const home = heraldHome('test');
  // Fresh data every run; the resolved Kafka jars (kafka/lib) are kept.
  for (const dir of ['kafka/data', 'kafka/cluster.id', 'kafka/meta', 'postgres', 'logs']) {
    rmSync(resolve(home, dir), { recursive: true, force: true });
  }
  const infra = await startInfra({
    home,
    kafkaPort: Number(process.env.HERALD_TEST_KAFKA_PORT ?? TEST_PORTS.kafka),
    kafkaControllerPort: Number(process.env.HERALD_TEST_KAFKA_CONTROLLER_PORT ?? TEST_PORTS.kafkaController),
    postgresPort: Number(process.env.HERALD_TEST_POSTGRES_PORT ?? TEST_PORTS.postgres),
    database: 'herald_test',
  });
  process.env.HERALD_TEST_KAFKA_BROKERS = infra.brokers;
  process.env.HERALD_TEST_DATABASE_URL = infra.databaseUrl;
  return infra;
}

/** Stops whatever a previous, interrupted test run left running (idempotent). */
export async function stopTestInfra(): Promise<void> {
  const home = heraldHome('test');
  await stopKafka({
    home,
    port: Number(process.env.HERALD_TEST_KAFKA_PORT ?? TEST_PORTS.kafka),
    controllerPort: Number(process.env.HERALD_TEST_KAFKA_CONTROLLER_PORT ?? TEST_PORTS.kafkaController),
  });
  await clearStalePostmaster(resolve(home, 'postgres'));
}
