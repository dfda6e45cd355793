import type { SignatureProfile } from '@herald/contracts';
import type { Ed25519Signer } from './ed25519-signer';
import type { WebhookSigner } from './sign-standard-webhook';

/** Everything needed to sign one webhook's requests, prepared once per webhook change. */
export interface RequestSigning {
  /** Active secrets, newest first (two during a rotation overlap). */
  secrets: readonly WebhookSigner[];
  /** Present when the webhook has an ed25519 key pair. */
  keySigner: Ed25519Signer | null;
  profiles: readonly SignatureProfile[];
  /** Sent verbatim as `X-KEY` when set. */
  staticKey: string | null;
}

/** The header that carries the static key; it is a secret and never recorded. */
export const STATIC_KEY_HEADER = 'x-key';

/**
 * The signature headers of the webhook's profiles. The compat header lists the oldest live secret first:
 * the Mindset sample verifier reads only the first value, and its receiver switches secret after the overlap.
 */
export function signWebhookRequest(
  signing: RequestSigning,
  messageId: string,
  timestamp: Date,
  body: string,
): Record<string, string> {
  const headers: Record<string, string> = {};
  if (signing.profiles.includes('standard')) {
    const seconds = Math.floor(timestamp.getTime() / 1000);
    const signatures = signing.secrets.map((s) => s.standard(messageId, seconds, body));
    if (signing.keySigner) signatures.push(signing.keySigner.standard(messageId, seconds, body));
    headers['webhook-id'] = messageId;
    headers['webhook-timestamp'] = String(seconds);
    headers['webhook-signature'] = signatures.join(' ');
  }
  if (signing.profiles.includes('compat')) {
    headers['x-webhook-event-id'] = messageId;
    headers['x-webhook-timestamp'] = timestamp.toISOString();
    headers['x-webhook-signature'] = signing.secrets
      .map((s) => s.compat(body))
      .reverse()
      .join(',');
  }
  if (signing.staticKey) headers[STATIC_KEY_HEADER] = signing.staticKey;
  return headers;
}
