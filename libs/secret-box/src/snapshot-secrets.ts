import type { WebhookSnapshot } from '@herald/contracts';
import { isSealed, secretBox, type SecretBox } from './secret-box';

function mapSecrets(snapshot: WebhookSnapshot, f: (value: string) => string): WebhookSnapshot {
  return {
    ...snapshot,
    secrets: snapshot.secrets.map((s) => ({ ...s, secret: f(s.secret) })),
    signingKey: snapshot.signingKey && { ...snapshot.signingKey, privateKey: f(snapshot.signingKey.privateKey) },
    staticKey: snapshot.staticKey === null ? null : f(snapshot.staticKey),
  };
}

/** The snapshot as written to Kafka: signing secrets, the private key and the static key sealed. */
export function sealSnapshot(snapshot: WebhookSnapshot, box: SecretBox): WebhookSnapshot {
  return mapSecrets(snapshot, (v) => box.seal(v));
}

/** The deliverer's side: opens what `sealSnapshot` sealed (clear values from before pass through). */
export function openSnapshot(snapshot: WebhookSnapshot, box: () => SecretBox = secretBox): WebhookSnapshot {
  return mapSecrets(snapshot, (v) => (isSealed(v) ? box().open(v) : v));
}

/** What routing needs: the snapshot with no secret in it, not even sealed. */
export function routingView(snapshot: WebhookSnapshot): WebhookSnapshot {
  return { ...snapshot, secrets: [], signingKey: null, staticKey: null };
}
