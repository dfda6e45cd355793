import { Injectable } from '@nestjs/common';
import { MetricsService } from '@herald/observability';

export type IngestVia = 'http' | 'kafka';

/** Event counters by transport, shared by the use case and the transports' own framing refusals. */
@Injectable()
export class IngestMetrics {
  readonly ingested;
  readonly rejected;
  readonly duplicates;

  constructor(metrics: MetricsService) {
    this.ingested = metrics.counter({
      name: 'herald_events_ingested_total',
      help: 'Events accepted',
      labelNames: ['via'],
    });
    this.rejected = metrics.counter({
      name: 'herald_events_rejected_total',
      help: 'Events refused or dead-lettered',
      labelNames: ['via'],
    });
    this.duplicates = metrics.counter({
      name: 'herald_events_duplicates_total',
      help: 'Repeats of an idempotency key within the window, not published again',
      labelNames: ['via'],
    });
  }
}
