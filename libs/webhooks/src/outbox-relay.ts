import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { KafkaClient } from '@herald/kafka';
import { LOGGER, MetricsService, ReadinessRegistry } from '@herald/observability';

/** Fixed advisory-lock key: only one relay at a time publishes, which keeps per-key order. */
const RELAY_LOCK_KEY = 4_812_736_002;
const BATCH = 500;

/**
 * Publishes outbox rows to Kafka in id order, then deletes them. Rows are deleted only after
 * Kafka acknowledged them, so a crash mid-batch re-publishes (at least once, same keys, same
 * values: the compacted topic converges). `flush()` lets a request wait for its own change.
 */
@Injectable()
export class OutboxRelay implements OnModuleInit, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private stopped = false;
  private lastError: Error | null = null;
  private readonly backlog;
  private readonly published;

  constructor(
    private readonly dataSource: DataSource,
    private readonly kafka: KafkaClient,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: MetricsService,
    private readonly readiness: ReadinessRegistry,
  ) {
    this.backlog = metrics.gauge({ name: 'herald_outbox_backlog', help: 'Outbox rows not yet published' });
    this.published = metrics.counter({ name: 'herald_outbox_published_total', help: 'Outbox rows published to Kafka' });
  }

  onModuleInit(): void {
    this.readiness.register('outbox', async () => {
      if (this.lastError) throw new Error(`outbox relay failing: ${this.lastError.message}`);
    });
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      void this.flush()
        .then((n) => this.schedule(n === BATCH ? 0 : 250))
        .catch(() => this.schedule(1000));
    }, ms);
  }

  /** Publishes everything pending now; resolves with the number of rows published. */
  flush(): Promise<number> {
    if (!this.running) {
      this.running = this.publishPending().finally(() => {
        this.running = null;
      });
      return this.running;
    }
    // A pass is under way; run one more after it so rows committed meanwhile are included.
    return this.running.then(() => this.flush());
  }

  private async publishPending(): Promise<number> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    let total = 0;
    try {
      const [{ locked }] = await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [RELAY_LOCK_KEY]);
      if (!locked) return 0;
      try {
        for (;;) {
          const rows: { id: string; topic: string; key: string | null; value: unknown }[] = await runner.query(
            'SELECT id, topic, key, value FROM outbox ORDER BY id LIMIT $1',
            [BATCH],
          );
          if (rows.length === 0) break;
          const byTopic = new Map<string, { key: string | null; value: unknown }[]>();
          for (const row of rows) {
            const list = byTopic.get(row.topic) ?? [];
            list.push({ key: row.key, value: row.value });
            byTopic.set(row.topic, list);
          }
          await this.kafka.sendBatch([...byTopic].map(([topic, messages]) => ({ topic, messages })));
          await runner.query('DELETE FROM outbox WHERE id <= $1', [rows[rows.length - 1].id]);
          total += rows.length;
          this.published.inc(rows.length);
          if (rows.length < BATCH) break;
        }
        const [{ count }] = await runner.query('SELECT count(*)::int AS count FROM outbox');
        this.backlog.set(count);
        this.lastError = null;
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [RELAY_LOCK_KEY]);
      }
    } catch (error) {
      this.lastError = error as Error;
      this.logger.warn({ err: error }, 'outbox relay pass failed; will retry');
      throw error;
    } finally {
      await runner.release();
    }
    return total;
  }
}
