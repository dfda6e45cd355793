import type { SubscriptionSnapshot } from '@herald/contracts';
import { WebhookSigner } from '@herald/signing';

export interface Endpoint {
  snapshot: SubscriptionSnapshot;
  signers: WebhookSigner[];
  /** Names of configured custom headers, redacted in attempt records. */
  customHeaderNames: Set<string>;
}

/**
 * What the deliverer knows of each webhook, with signers prepared once per change so the
 * per-message path does no secret decoding.
 */
export class EndpointDirectory {
  private readonly endpoints = new Map<string, Endpoint>();

  apply(webhookId: string, snapshot: SubscriptionSnapshot | null): void {
    if (!snapshot) {
      this.endpoints.delete(webhookId);
      return;
    }
    this.endpoints.set(webhookId, {
      snapshot,
      signers: snapshot.secrets.map((s) => new WebhookSigner(s.secret)),
      customHeaderNames: new Set(Object.keys(snapshot.headers).map((h) => h.toLowerCase())),
    });
  }

  get(webhookId: string): Endpoint | undefined {
    return this.endpoints.get(webhookId);
  }

  /** Signers whose secret is still valid now (a rotated-out secret stops at its expiry). */
  activeSigners(endpoint: Endpoint, now: number): WebhookSigner[] {
    return endpoint.signers.filter((_, i) => {
      const expiresAt = endpoint.snapshot.secrets[i].expiresAt;
      return expiresAt === null || Date.parse(expiresAt) > now;
    });
  }
}
