import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MetricsService } from '@herald/observability';

/**
 * `herald_outbox_backlog`: outbox rows written but not yet relayed to Kafka, counted when
 * Prometheus scrapes. A growing backlog means the relay cannot reach Kafka.
 */
@Injectable()
export class OutboxBacklogMetric implements OnModuleInit {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    const dataSource = this.dataSource;
    this.metrics.gauge({
      name: 'herald_outbox_backlog',
      help: 'Outbox rows not yet relayed to Kafka',
      async collect() {
        const [{ count }] = await dataSource.query('SELECT count(*)::int AS count FROM outbox');
        this.set(count);
      },
    });
  }
}
