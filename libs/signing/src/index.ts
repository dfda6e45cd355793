/**
 * @herald/signing — webhook secrets and signature headers: Standard Webhooks (`v1,` HMAC, `v1a,` ed25519),
 * the compatibility `X-Webhook-Signature` and the static `X-KEY`, chosen per webhook by its profiles.
 */
export * from './secrets';
export * from './sign-standard-webhook';
export * from './ed25519-signer';
export * from './sign-webhook-request';
