import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { LOGGER, MetricsService } from '@herald/observability';
import { EVENT_LOG_OPTIONS, type EventLogOptions } from '../event-log.options';
import { dropExpiredPartitions, ensurePartitions } from './partitions';

// Runs before anything is stored: a row in the default partition for a day would stop that
// day's partition from being created. Every step is idempotent, so several replicas may run it.
@Injectable()
export class PartitionMaintenance implements OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private started: Promise<void> | null = null;
  private readonly dropped;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(EVENT_LOG_OPTIONS) private readonly options: EventLogOptions,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: MetricsService,
  ) {
    this.dropped = metrics.counter({
      name: 'herald_event_log_partitions_dropped_total',
      help: 'Partitions dropped by retention',
    });
  }

  start(): Promise<void> {
    this.started ??= this.run().then(() => this.schedule());
    return this.started;
  }

  private schedule(): void {
    this.timer = setInterval(() => {
      this.run().catch((error) =>
        this.logger.warn({ err: error }, 'partition maintenance failed; retried at the next interval'),
      );
    }, this.options.maintenanceIntervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async run(now = new Date()): Promise<void> {
    const created = await ensurePartitions(this.dataSource, now);
    const dropped = await dropExpiredPartitions(this.dataSource, this.options.retentionDays, now);
    this.dropped.inc(dropped.length);
    if (created.length > 0 || dropped.length > 0) {
      this.logger.info({ created, dropped, retentionDays: this.options.retentionDays }, 'partitions maintained');
    }
  }
}
