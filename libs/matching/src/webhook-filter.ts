import { Injectable, Optional } from '@nestjs/common';
import type { Logger } from 'pino';
import type { WebhookSnapshot } from '@herald/contracts';
import { compileEventFilter, type EventFilter, type FilterableEvent } from '@herald/event-filter';
import { InjectLogger, MetricsService } from '@herald/observability';

/** Compiled once per snapshot; one the matcher cannot compile fails, and is skipped, on every event. */
export function filterOf(webhook: WebhookSnapshot): EventFilter | null {
  if (!webhook.filter) return null;
  try {
    return compileEventFilter(webhook.filter);
  } catch (error) {
    return {
      source: webhook.filter,
      matches: () => {
        throw error;
      },
    };
  }
}

const LOG_EVERY_MS = 60_000;

/** The CEL error code or the error's class: messages may quote event values, so they are not logged. */
function codeOf(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' ? code : ((error as Error)?.name ?? 'unknown');
}

/** Runs filters; a filter that throws skips its webhook for that event, counted and logged by webhook id. */
@Injectable()
export class WebhookFilterRunner {
  private readonly failures;
  private readonly lastLogged = new Map<string, number>();

  constructor(
    metrics: MetricsService,
    @Optional() @InjectLogger() private readonly logger?: Logger,
  ) {
    this.failures = metrics.counter({
      name: 'herald_webhook_filter_errors_total',
      help: 'Times a webhook filter failed at run time (that webhook skipped that event)',
    });
  }

  passes(webhookId: string, filter: EventFilter, event: FilterableEvent): boolean {
    try {
      return filter.matches(event);
    } catch (error) {
      this.recordFailure(webhookId, error);
      return false;
    }
  }

  private recordFailure(webhookId: string, error: unknown): void {
    this.failures.inc();
    const now = Date.now();
    const last = this.lastLogged.get(webhookId);
    if (last !== undefined && now - last < LOG_EVERY_MS) return;
    this.lastLogged.set(webhookId, now);
    this.logger?.warn({ webhookId, code: codeOf(error) }, 'webhook filter failed: the webhook skips this event');
  }
}
