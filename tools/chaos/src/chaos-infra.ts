import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { startKafka, startPostgres, stopKafka, type KafkaOptions, type PostgresHandle } from '@herald/stack';

export interface ChaosPorts {
  kafka: number;
  kafkaController: number;
  postgres: number;
}

/**
 * The run's own Kafka and PostgreSQL, fresh each run, because it stops and restarts them (so always the
 * embedded PostgreSQL, never the test or `npm start` ones).
 */
export class ChaosInfra {
  private postgres: PostgresHandle | null = null;
  private readonly kafka: KafkaOptions;
  databaseUrl = '';

  constructor(
    readonly home: string,
    readonly ports: ChaosPorts,
  ) {
    this.kafka = { home, port: ports.kafka, controllerPort: ports.kafkaController };
  }

  get brokers(): string {
    return `127.0.0.1:${this.ports.kafka}`;
  }

  async start(): Promise<void> {
    await stopKafka(this.kafka).catch(() => undefined);
    // Fresh data every run; the resolved Kafka jars (kafka/lib) are kept.
    for (const dir of ['kafka/data', 'kafka/cluster.id', 'postgres', 'logs']) {
      rmSync(resolve(this.home, dir), { recursive: true, force: true });
    }
    await Promise.all([this.startKafka(), this.startPostgres()]);
  }

  startKafka(): Promise<unknown> {
    return startKafka(this.kafka);
  }

  stopKafka(): Promise<void> {
    return stopKafka(this.kafka);
  }

  async startPostgres(): Promise<void> {
    // The embedded server is the point here; an external DATABASE_URL cannot be stopped.
    const external = process.env.DATABASE_URL;
    delete process.env.DATABASE_URL;
    try {
      this.postgres = await startPostgres({ home: this.home, port: this.ports.postgres, database: 'herald_chaos' });
      this.databaseUrl = this.postgres.url;
    } finally {
      if (external !== undefined) process.env.DATABASE_URL = external;
    }
  }

  async stopPostgres(): Promise<void> {
    const handle = this.postgres;
    this.postgres = null;
    await handle?.stop();
  }

  async stop(): Promise<void> {
    await Promise.allSettled([this.stopKafka(), this.stopPostgres()]);
  }
}
