import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import type { Logger } from 'pino';
import { KafkaClient } from '@herald/kafka';
import { LOGGER, MetricsService, ReadinessRegistry } from '@herald/observability';

/** Fixed advisory-lock key: only one relay at a time publishes, which keeps per-key order. */
const RELAY_LOCK_KEY = 4_812_736_002;
const BATCH = 500;
/** Written by the outbox table's trigger at each commit of new rows (migration NotifyOutbox). */
export const OUTBOX_CHANNEL = 'herald_outbox';
/** Safety net only: writes wake the relay (in-process after commit, and NOTIFY from any replica). */
export const OUTBOX_SAFETY_POLL_MS = 30_000;
const RETRY_MS = 1000;

interface ListeningClient {
  query(sql: string): Promise<unknown>;
  on(event: 'notification', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  off(event: string, listener: (...args: never[]) => void): unknown;
}

/**
 * Rows are deleted only after Kafka acknowledged them, so a crash re-publishes the same keys and values and the
 * compacted topic converges. flush(), LISTEN/NOTIFY and a slow safety poll wake it.
 */
@Injectable()
export class OutboxRelay implements OnModuleInit, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private followUp: Promise<number> | null = null;
  private listener: { client: ListeningClient; release: (error?: Error) => void; detach: () => void } | null = null;
  private relisten: NodeJS.Timeout | null = null;
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
    void this.listen();
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.relisten) clearTimeout(this.relisten);
    await this.unlisten();
    await this.running?.catch(() => undefined);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush().catch(() => undefined), ms);
  }

  /**
   * Publishes everything pending now; resolves with the number of rows published. Then the
   * safety poll is re-armed, or a retry soon if the pass failed.
   */
  flush(): Promise<number> {
    if (!this.running) {
      this.running = this.publishPending()
        .then(
          (n) => {
            this.schedule(OUTBOX_SAFETY_POLL_MS);
            return n;
          },
          (error: unknown) => {
            this.schedule(RETRY_MS);
            throw error;
          },
        )
        .finally(() => {
          this.running = null;
        });
      return this.running;
    }
    // A pass is under way: one more after it covers rows committed meanwhile, shared by every
    // caller (a NOTIFY of this process's own write adds no pass of its own).
    this.followUp ??= this.running
      .catch(() => 0)
      .then(() => {
        this.followUp = null;
        return this.flush();
      });
    return this.followUp;
  }

  /** LISTEN on a pooled connection held for the purpose; on loss, listen again and catch up. */
  private async listen(): Promise<void> {
    if (this.stopped || this.listener) return;
    try {
      const [client, release] = (await (this.dataSource.driver as PostgresDriver).obtainMasterConnection()) as [
        ListeningClient,
        (error?: Error) => void,
      ];
      const onError = (error: Error) => this.lostListener(error);
      const onNotification = () => void this.flush().catch(() => undefined);
      client.on('error', onError);
      client.on('notification', onNotification);
      const detach = () => {
        client.off('error', onError);
        client.off('notification', onNotification);
      };
      this.listener = { client, release, detach };
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      if (this.stopped) await this.unlisten();
      // Rows committed while nobody listened.
      else void this.flush().catch(() => undefined);
    } catch (error) {
      this.lostListener(error as Error);
    }
  }

  private lostListener(error: Error): void {
    if (this.listener) {
      const { release, detach } = this.listener;
      this.listener = null;
      detach();
      release(error);
    }
    if (this.stopped) return;
    this.logger.warn({ err: error }, 'outbox LISTEN connection lost; listening again');
    this.relisten = setTimeout(() => {
      this.relisten = null;
      void this.listen();
    }, RETRY_MS);
  }

  private async unlisten(): Promise<void> {
    const listener = this.listener;
    if (!listener) return;
    this.listener = null;
    const clean = await listener.client.query(`UNLISTEN ${OUTBOX_CHANNEL}`).then(
      () => true,
      () => false,
    );
    listener.detach();
    listener.release(clean ? undefined : new Error('UNLISTEN failed'));
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
