import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

/** An ed25519 key pair as DER base64 (SPKI public key, PKCS#8 private key), as the snapshot carries it. */
export interface SigningKeyPair {
  publicKey: string;
  privateKey: string;
}

export function generateSigningKeyPair(): SigningKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
  };
}

/** The Standard Webhooks form of a public key: `whpk_` + base64 of the raw 32-byte key. */
export function standardPublicKey(spkiDerBase64: string): string {
  const key = createPublicKey({ key: Buffer.from(spkiDerBase64, 'base64'), format: 'der', type: 'spki' });
  const raw = Buffer.from(key.export({ format: 'jwk' }).x as string, 'base64url');
  return `whpk_${raw.toString('base64')}`;
}

/**
 * Standard Webhooks `v1a`: base64 ed25519 signature of `{id}.{timestamp}.{body}`. The key is
 * decoded once per webhook change, not per message.
 */
export class Ed25519Signer {
  private readonly key: KeyObject;

  constructor(privateKeyDerBase64: string) {
    this.key = createPrivateKey({ key: Buffer.from(privateKeyDerBase64, 'base64'), format: 'der', type: 'pkcs8' });
  }

  standard(id: string, timestampSeconds: number, body: string): string {
    return `v1a,${sign(null, Buffer.from(`${id}.${timestampSeconds}.${body}`, 'utf8'), this.key).toString('base64')}`;
  }
}
