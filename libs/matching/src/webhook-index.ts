import { eventTypeMatches, type SubscriptionSnapshot } from '@herald/contracts';

/** Webhooks by tenant, for matching an event to the active webhooks it concerns. */
export class WebhookIndex {
  private readonly byTenant = new Map<string, Map<string, SubscriptionSnapshot>>();
  private readonly tenantOf = new Map<string, string>();

  apply(webhookId: string, snapshot: SubscriptionSnapshot | null): void {
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
    webhooks.set(webhookId, snapshot);
    this.tenantOf.set(webhookId, snapshot.tenantId);
  }

  /** Active webhooks of the tenant with a filter matching the event type. */
  match(tenantId: string, eventType: string): SubscriptionSnapshot[] {
    const webhooks = this.byTenant.get(tenantId);
    if (!webhooks) return [];
    const matched: SubscriptionSnapshot[] = [];
    for (const webhook of webhooks.values()) {
      if (webhook.status !== 'ACTIVE') continue;
      if (webhook.events.some((filter) => eventTypeMatches(filter, eventType))) matched.push(webhook);
    }
    return matched;
  }

  get size(): number {
    return this.tenantOf.size;
  }
}
