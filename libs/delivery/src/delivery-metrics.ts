import type { MetricsService } from '@herald/observability';
import type { DeliveryMetrics } from './deliver-attempt.usecase';
import type { BreakerState } from './webhook-gate';

const BREAKER_VALUE: Record<BreakerState, number> = { closed: 0, half_open: 1, open: 2 };

export function deliveryMetrics(metrics: MetricsService): {
  delivery: DeliveryMetrics;
  breaker: (id: string, s: BreakerState) => void;
  inFlight: (id: string, n: number) => void;
  limit: (id: string, n: number) => void;
  skippedDone: (source: 'fresh' | 'retry' | 'ordered') => void;
  joinedInFlight: () => void;
} {
  const attempts = metrics.counter({
    name: 'herald_delivery_attempts_total',
    help: 'Delivery attempts by outcome',
    labelNames: ['outcome'],
  });
  const duration = metrics.histogram({
    name: 'herald_delivery_attempt_duration_seconds',
    help: 'Duration of one delivery attempt',
    labelNames: ['outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  });
  const lag = metrics.histogram({
    name: 'herald_delivery_lag_seconds',
    help: 'Time from the event occurring to its successful delivery',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600, 21600, 86400],
  });
  const retries = metrics.counter({
    name: 'herald_delivery_retries_scheduled_total',
    help: 'Retries scheduled after a failed attempt',
  });
  const dead = metrics.counter({
    name: 'herald_delivery_dead_letters_total',
    help: 'Deliveries dead-lettered after the last attempt',
  });
  const deferred = metrics.counter({
    name: 'herald_delivery_deferred_total',
    help: 'Deliveries put back without an attempt (breaker open, concurrency cap, rate limit)',
    labelNames: ['reason'],
  });
  const skippedDone = metrics.counter({
    name: 'herald_deliveries_skipped_done_total',
    help: 'Deliveries not sent again because an attempt of theirs on webhooks.attempts is final',
    labelNames: ['source'],
  });
  const joined = metrics.counter({
    name: 'herald_deliveries_joined_in_flight_total',
    help: 'Deliveries read again while this process still handled them (a rewind or rebalance): not sent twice',
  });
  // One series per webhook: set by the gate as its state changes.
  const perWebhook = (name: string, help: string) => {
    const gauge = metrics.gauge({ name, help, labelNames: ['webhook_id'] });
    return (id: string, value: number) => gauge.set({ webhook_id: id }, value);
  };
  const breaker = perWebhook(
    'herald_endpoint_breaker_state',
    'Circuit breaker per endpoint: 0 closed, 1 half-open, 2 open',
  );
  const inFlight = perWebhook('herald_endpoint_in_flight', 'Requests in flight per endpoint');
  const limit = perWebhook(
    'herald_endpoint_concurrency_limit',
    'Adaptive limit on requests in flight per endpoint (AIMD)',
  );
  return {
    delivery: {
      attempt: (outcome, seconds) => {
        attempts.inc({ outcome });
        duration.observe({ outcome }, seconds);
      },
      delivered: (seconds) => lag.observe(seconds),
      retryScheduled: () => retries.inc(),
      deadLettered: () => dead.inc(),
      deferred: (reason) => deferred.inc({ reason }),
    },
    breaker: (id, state) => breaker(id, BREAKER_VALUE[state]),
    inFlight,
    limit,
    skippedDone: (source) => skippedDone.inc({ source }),
    joinedInFlight: () => joined.inc(),
  };
}
