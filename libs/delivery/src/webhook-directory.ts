import type { WebhookSnapshot } from '@herald/contracts';
import { openSnapshot } from '@herald/secret-box';
import { WebhookSigning } from '@herald/webhook-request';

/** What the deliverer knows of each webhook, its signing prepared once per change. */
export class WebhookDirectory {
  private readonly webhooks = new Map<string, WebhookSigning>();
  /** Webhooks whose latest snapshot's secrets do not open (a key-encryption key missing here). */
  private readonly unopened = new Map<string, { snapshot: WebhookSnapshot; problem: string }>();

  /** Applies a change; returns the previous snapshot, if any. */
  apply(webhookId: string, snapshot: WebhookSnapshot | null): WebhookSnapshot | null {
    const previous = this.webhooks.get(webhookId)?.snapshot ?? this.unopened.get(webhookId)?.snapshot ?? null;
    this.webhooks.delete(webhookId);
    this.unopened.delete(webhookId);
    if (!snapshot) return previous;
    try {
      // Secrets arrive sealed (see @herald/secret-box) and are opened once per change, in memory only.
      this.webhooks.set(webhookId, new WebhookSigning(openSnapshot(snapshot)));
    } catch (error) {
      // A later snapshot (sealed again after a rotation) usually follows while catching up.
      this.unopened.set(webhookId, { snapshot, problem: (error as Error).message });
    }
    return previous;
  }

  /** Throws while the webhook's secrets cannot be opened: its deliveries wait, none is dropped. */
  get(webhookId: string): WebhookSigning | undefined {
    const unopened = this.unopened.get(webhookId);
    if (unopened) throw new Error(`webhook ${webhookId}: ${unopened.problem}`);
    return this.webhooks.get(webhookId);
  }
}
