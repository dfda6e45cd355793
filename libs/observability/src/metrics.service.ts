import { Injectable } from '@nestjs/common';
import {
  Counter,
  Gauge,
  Histogram,
  Registry,
  collectDefaultMetrics,
  type CounterConfiguration,
  type GaugeConfiguration,
  type HistogramConfiguration,
} from 'prom-client';

/** Resolution of the event-loop lag histogram (nodejs_eventloop_lag_*). */
export const EVENT_LOOP_SAMPLE_MS = 1000;

/**
 * One Prometheus registry per app (not prom-client's global one, so several apps can live in one
 * test process). Metric getters are idempotent: the same name returns the same metric.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  constructor(service = 'herald') {
    this.registry.setDefaultLabels({ service });
    // The event-loop lag sampler is a timer; prom-client's 10 ms default woke an idle process 100 times a second.
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
  }

  counter<L extends string>(config: Omit<CounterConfiguration<L>, 'registers'>): Counter<L> {
    return (
      (this.registry.getSingleMetric(config.name) as Counter<L>) ??
      new Counter({ ...config, registers: [this.registry] })
    );
  }

  gauge<L extends string>(config: Omit<GaugeConfiguration<L>, 'registers'>): Gauge<L> {
    return (
      (this.registry.getSingleMetric(config.name) as Gauge<L>) ?? new Gauge({ ...config, registers: [this.registry] })
    );
  }

  histogram<L extends string>(config: Omit<HistogramConfiguration<L>, 'registers'>): Histogram<L> {
    return (
      (this.registry.getSingleMetric(config.name) as Histogram<L>) ??
      new Histogram({ ...config, registers: [this.registry] })
    );
  }
}
