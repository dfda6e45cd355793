import { webhookPayloadFor, type EventEnvelope, type WebhookSnapshot } from '@herald/contracts';
import {
  Ed25519Signer,
  STATIC_KEY_HEADER,
  WebhookSigner,
  signWebhookRequest,
  type RequestSigning,
} from '@herald/signing';

const REDACTED = '[redacted]';

/**
 * A webhook's signing material, decoded once per webhook change (secrets, ed25519 key), and the
 * header names whose values are secret and redacted wherever a request is shown or recorded.
 */
export class WebhookSigning {
  private readonly signers: WebhookSigner[];
  private readonly keySigner: Ed25519Signer | null;
  private readonly redactedHeaderNames: Set<string>;

  constructor(readonly snapshot: WebhookSnapshot) {
    this.signers = snapshot.secrets.map((s) => new WebhookSigner(s.secret));
    this.keySigner = snapshot.signingKey ? new Ed25519Signer(snapshot.signingKey.privateKey) : null;
    this.redactedHeaderNames = new Set([
      ...Object.keys(snapshot.headers).map((h) => h.toLowerCase()),
      STATIC_KEY_HEADER,
    ]);
  }

  /** Signing for a request made at `now`: a rotated-out secret stops at its expiry. */
  at(now: number): RequestSigning {
    const secrets = this.signers.filter((_, i) => {
      const expiresAt = this.snapshot.secrets[i].expiresAt;
      return expiresAt === null || Date.parse(expiresAt) > now;
    });
    return {
      secrets,
      keySigner: this.keySigner,
      profiles: this.snapshot.signatureProfiles,
      staticKey: this.snapshot.staticKey,
    };
  }

  /** The request for an event: the payload encoded once, the webhook's headers and the signatures. */
  request(event: EventEnvelope, at: Date, traceparent?: string): { headers: Record<string, string>; body: string } {
    const body = JSON.stringify(webhookPayloadFor(event, this.snapshot.payloadTenantField));
    const headers: Record<string, string> = {
      ...this.snapshot.headers,
      ...signWebhookRequest(this.at(at.getTime()), event.eventId, at, body),
      ...(traceparent ? { traceparent } : {}),
    };
    return { headers, body };
  }

  /** The headers as they may be shown or recorded: secret values replaced. */
  redacted(headers: Record<string, string>): Record<string, string> {
    const shown: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers))
      shown[name] = this.redactedHeaderNames.has(name.toLowerCase()) ? REDACTED : value;
    return shown;
  }
}
