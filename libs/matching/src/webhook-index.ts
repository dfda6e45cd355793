import { eventTypeMatches, type EventEnvelope, type WebhookSnapshot } from '@herald/contracts';
import { FilterableEvent, type EventFilter } from '@herald/event-filter';
import { filterOf, type WebhookFilterRunner } from './webhook-filter';

interface IndexedWebhook {
  webhook: WebhookSnapshot;
  filter: EventFilter | null;
}

/** Webhooks by tenant, for matching an event to the active webhooks it concerns. */
export class WebhookIndex {
  private readonly byTenant = new Map<string, Map<string, IndexedWebhook>>();
  private readonly tenantOf = new Map<string, string>();

  constructor(private readonly filters: WebhookFilterRunner) {}

  apply(webhookId: string, snapshot: WebhookSnapshot | null): void {
    const previousTenant = this.tenantOf.get(webhookId);
    if (previousTenant !== undefined) {
      const webhooks = this.byTenant.get(previousTenant);
      webhooks?.delete(webhookId);
      if (webhooks?.size === 0) this.byTenant.delete(previousTenant);
      this.tenantOf.delete(webhookId);
    }
    if (!snapshot) return;
    let webhooks = this.byTenant.get(snapshot.tenantId);
    if (!webhooks) {
      webhooks = new Map();
      this.byTenant.set(snapshot.tenantId, webhooks);
    }
    webhooks.set(webhookId, { webhook: snapshot, filter: filterOf(snapshot) });
    this.tenantOf.set(webhookId, snapshot.tenantId);
  }

  /** Active webhooks of the event's tenant whose event types include it and whose filter accepts it. */
  match(event: EventEnvelope): WebhookSnapshot[] {
    const webhooks = this.byTenant.get(event.tenantId);
    if (!webhooks) return [];
    const matched: WebhookSnapshot[] = [];
    let filterable: FilterableEvent | undefined;
    for (const { webhook, filter } of webhooks.values()) {
      if (webhook.status !== 'ACTIVE') continue;
      if (!webhook.events.some((pattern) => eventTypeMatches(pattern, event.eventType))) continue;
      if (filter) {
        filterable ??= new FilterableEvent(event);
        if (!this.filters.passes(webhook.webhookId, filter, filterable)) continue;
      }
      matched.push(webhook);
    }
    return matched;
  }

  get size(): number {
    return this.tenantOf.size;
  }
}
