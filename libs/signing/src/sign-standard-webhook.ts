import { createHmac } from 'node:crypto';
import { secretKeyBytes } from './secrets';

/**
 * A prepared signer for one secret. The decoded key is kept so the delivery hot path does not
 * re-decode the secret for every message.
 */
export class WebhookSigner {
  private readonly key: Buffer;

  constructor(readonly secret: string) {
    this.key = secretKeyBytes(secret);
  }

  /** Standard Webhooks v1: base64 HMAC-SHA256 of `{id}.{timestamp}.{body}` keyed by the decoded secret. */
  standard(id: string, timestampSeconds: number, body: string): string {
    const mac = createHmac('sha256', this.key);
    mac.update(`${id}.${timestampSeconds}.`);
    mac.update(body);
    return `v1,${mac.digest('base64')}`;
  }

  /** Compatibility: hex HMAC-SHA256 of the raw body keyed by the secret string exactly as shown. */
  compat(body: string): string {
    return `sha256=${createHmac('sha256', this.secret).update(body, 'utf8').digest('hex')}`;
  }
}

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
  'x-webhook-event-id': string;
  'x-webhook-timestamp': string;
  'x-webhook-signature': string;
}

/** Signs with every active secret, so during a rotation overlap a receiver holding either one can verify. */
export function signStandardWebhook(
  signers: readonly WebhookSigner[],
  messageId: string,
  timestamp: Date,
  body: string,
): SignedHeaders {
  const seconds = Math.floor(timestamp.getTime() / 1000);
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(seconds),
    'webhook-signature': signers.map((s) => s.standard(messageId, seconds, body)).join(' '),
    'x-webhook-event-id': messageId,
    'x-webhook-timestamp': timestamp.toISOString(),
    // The newest secret's signature comes first, so single-signature verifiers use it.
    'x-webhook-signature': signers.map((s) => s.compat(body)).join(','),
  };
}
