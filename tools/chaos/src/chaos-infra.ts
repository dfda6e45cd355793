import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import {
  repoRoot,
  sleep,
  startKafka,
  startPostgres,
  stopKafka,
  type KafkaOptions,
  type PostgresHandle,
} from '@herald/stack';

const run = promisify(execFile);

export interface ChaosPorts {
  kafka: number;
  kafkaController: number;
  postgres: number;
}

/**
 * The run's own Kafka and PostgreSQL, fresh each run, because it stops and restarts them (so always the
 * embedded PostgreSQL, never the test or `npm start` ones). With `brokers` > 1, Kafka is a KRaft cluster
 * from tools/kafka/cluster.sh (node i on ports + 2(i-1)).
 */
export class ChaosInfra {
  private postgres: PostgresHandle | null = null;
  private readonly kafka: KafkaOptions;
  databaseUrl = '';

  constructor(
    readonly home: string,
    readonly ports: ChaosPorts,
    readonly brokerCount = 1,
  ) {
    this.kafka = { home, port: ports.kafka, controllerPort: ports.kafkaController };
  }

  get brokers(): string {
    return Array.from({ length: this.brokerCount }, (_, i) => `127.0.0.1:${this.ports.kafka + 2 * i}`).join(',');
  }

  get clustered(): boolean {
    return this.brokerCount > 1;
  }

  async start(): Promise<void> {
    if (this.clustered) await this.cluster('reset').catch(() => undefined);
    else await stopKafka(this.kafka).catch(() => undefined);
    // Fresh data every run; the resolved Kafka jars (kafka/lib, kafka-cluster/lib) are kept.
    for (const dir of ['kafka/data', 'kafka/cluster.id', 'postgres', 'logs']) {
      rmSync(resolve(this.home, dir), { recursive: true, force: true });
    }
    await Promise.all([this.startKafka(), this.startPostgres()]);
  }

  async startKafka(): Promise<unknown> {
    return this.clustered ? this.cluster('start') : startKafka(this.kafka);
  }

  async stopKafka(): Promise<void> {
    if (this.clustered) await this.cluster('stop');
    else await stopKafka(this.kafka);
  }

  /** tools/kafka/cluster.sh with this run's home, node count and ports; resolves with its stdout. */
  async cluster(...args: string[]): Promise<string> {
    const { stdout } = await run('bash', [resolve(repoRoot, 'tools/kafka/cluster.sh'), ...args], {
      env: {
        ...process.env,
        HERALD_HOME: this.home,
        KAFKA_NODES: String(this.brokerCount),
        KAFKA_PORT: String(this.ports.kafka),
        KAFKA_CONTROLLER_PORT: String(this.ports.kafkaController),
      },
      maxBuffer: 1 << 20,
    });
    return stdout.trim();
  }

  /** The broker JVM's pid (kafka.sh's pid file), for SIGSTOP/SIGCONT. */
  brokerPid(node: number): number {
    const pid = Number(readFileSync(resolve(this.home, `kafka-cluster/node-${node}/kafka/kafka.pid`), 'utf8').trim());
    if (!Number.isInteger(pid) || pid <= 0) throw new Error(`no pid for broker node ${node}`);
    return pid;
  }

  /**
   * Partition metadata of the given topics (all with []), from a fresh admin client each time: one kept
   * across broker restarts was seen to hang.
   */
  async partitions(topics: string[]): Promise<{ topic: string; partition: number; leader: number; isr: number[] }[]> {
    for (let attempt = 1; ; attempt++) {
      const admin = this.admin();
      try {
        const meta = await within(15_000, async () => {
          await admin.connect();
          return admin.fetchTopicMetadata({ topics });
        });
        return meta.topics.flatMap((t) =>
          t.partitions.map((p) => ({ topic: t.name, partition: p.partitionId, leader: p.leader, isr: p.isr })),
        );
      } catch (error) {
        if (attempt >= 10) throw error;
        await sleep(1000);
      } finally {
        void admin.disconnect().catch(() => undefined);
      }
    }
  }

  /** A fresh admin client each time: one kept across broker restarts was seen to hang. */
  private admin() {
    return new Kafka({
      clientId: 'herald-chaos-admin',
      brokers: this.brokers.split(','),
      logLevel: logLevel.NOTHING,
      connectionTimeout: 3000,
      requestTimeout: 10_000,
      retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 1000 },
    }).admin();
  }

  /** Records written to each topic (sum of its partitions' end offsets), from a fresh admin client. */
  async recordsOnTopics(topics: string[]): Promise<Record<string, number>> {
    const admin = this.admin();
    try {
      return await within(30_000, async () => {
        await admin.connect();
        const counts: Record<string, number> = {};
        for (const topic of topics) {
          const offsets = await admin.fetchTopicOffsets(topic);
          counts[topic] = offsets.reduce((n, p) => n + Number(p.high), 0);
        }
        return counts;
      });
    } finally {
      void admin.disconnect().catch(() => undefined);
    }
  }

  /** The node leading the most partitions of `topic`. */
  async busiestLeader(topic: string): Promise<{ node: number; leads: number; of: number }> {
    const parts = await this.partitions([topic]);
    const count = new Map<number, number>();
    for (const p of parts) if (p.leader >= 0) count.set(p.leader, (count.get(p.leader) ?? 0) + 1);
    const [node, leads] = [...count.entries()].sort((a, b) => b[1] - a[1])[0] ?? [1, 0];
    return { node, leads, of: parts.length };
  }

  /** Waits until every partition of the topics has all brokers in sync again (the next fault needs 2 of 3). */
  async waitInSync(topics: string[], timeoutMs = 180_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const parts = await this.partitions(topics).catch(() => []);
      if (parts.length > 0 && parts.every((p) => p.leader >= 0 && p.isr.length === this.brokerCount)) return;
      if (Date.now() > deadline) {
        const behind = parts.filter((p) => p.isr.length < this.brokerCount).map((p) => `${p.topic}/${p.partition}`);
        throw new Error(
          `partitions not back to ${this.brokerCount} in-sync replicas: ${behind.slice(0, 5).join(', ')}`,
        );
      }
      await sleep(1000);
    }
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

function within<T>(ms: number, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no metadata answer within ${ms} ms`)), ms);
  });
  return Promise.race([work(), timeout]).finally(() => clearTimeout(timer));
}
