/**
 * @herald/signing — webhook secrets and signatures: Standard Webhooks (`webhook-signature` with
 * `v1,` HMAC and `v1a,` ed25519), the compatibility `X-Webhook-Signature: sha256=<hex>` header,
 * and the optional static `X-KEY`, chosen per webhook by its signature profiles.
 */
export * from './secrets';
export * from './sign-standard-webhook';
export * from './ed25519-signer';
export * from './sign-webhook-request';
