import type { WebhookSnapshot } from '@herald/contracts';
import { WebhookSigning } from '@herald/webhook-request';

/** What the deliverer knows of each webhook, its signing prepared once per change. */
export class WebhookDirectory {
  private readonly webhooks = new Map<string, WebhookSigning>();

  /** Applies a change; returns the previous snapshot, if any. */
  apply(webhookId: string, snapshot: WebhookSnapshot | null): WebhookSnapshot | null {
    const previous = this.webhooks.get(webhookId)?.snapshot ?? null;
    if (!snapshot) {
      this.webhooks.delete(webhookId);
      return previous;
    }
    this.webhooks.set(webhookId, new WebhookSigning(snapshot));
    return previous;
  }

  get(webhookId: string): WebhookSigning | undefined {
    return this.webhooks.get(webhookId);
  }
}
