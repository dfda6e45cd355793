/**
 * @herald/signing — webhook secrets and signatures: Standard Webhooks (`webhook-signature: v1,…`)
 * and the compatibility `X-Webhook-Signature: sha256=<hex>` header.
 */
export * from './secrets';
export * from './sign-standard-webhook';
