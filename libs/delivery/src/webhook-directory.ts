import type { SubscriptionSnapshot } from '@herald/contracts';
import { Ed25519Signer, STATIC_KEY_HEADER, WebhookSigner, type RequestSigning } from '@herald/signing';

export interface WebhookEntry {
  snapshot: SubscriptionSnapshot;
  signers: WebhookSigner[];
  keySigner: Ed25519Signer | null;
  /** Header names (lower-case) whose values are secret and redacted in attempt records. */
  redactedHeaderNames: Set<string>;
}

/**
 * What the deliverer knows of each webhook, with signers prepared once per change so the
 * per-message path does no secret or key decoding.
 */
export class WebhookDirectory {
  private readonly webhooks = new Map<string, WebhookEntry>();

  /** Applies a change; returns the previous snapshot, if any. */
  apply(webhookId: string, snapshot: SubscriptionSnapshot | null): SubscriptionSnapshot | null {
    const previous = this.webhooks.get(webhookId)?.snapshot ?? null;
    if (!snapshot) {
      this.webhooks.delete(webhookId);
      return previous;
    }
    this.webhooks.set(webhookId, {
      snapshot,
      signers: snapshot.secrets.map((s) => new WebhookSigner(s.secret)),
      keySigner: snapshot.signingKey ? new Ed25519Signer(snapshot.signingKey.privateKey) : null,
      redactedHeaderNames: new Set([...Object.keys(snapshot.headers).map((h) => h.toLowerCase()), STATIC_KEY_HEADER]),
    });
    return previous;
  }

  get(webhookId: string): WebhookEntry | undefined {
    return this.webhooks.get(webhookId);
  }

  /** Signing for a request made at `now`: a rotated-out secret stops at its expiry. */
  signingAt(webhook: WebhookEntry, now: number): RequestSigning {
    const secrets = webhook.signers.filter((_, i) => {
      const expiresAt = webhook.snapshot.secrets[i].expiresAt;
      return expiresAt === null || Date.parse(expiresAt) > now;
    });
    return {
      secrets,
      keySigner: webhook.keySigner,
      profiles: webhook.snapshot.signatureProfiles,
      staticKey: webhook.snapshot.staticKey,
    };
  }
}
