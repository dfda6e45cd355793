/**
 * @herald/webhook-request — what a webhook receives, built and sent one way for real deliveries
 * and test events alike: the signed request (payload, the webhook's headers, signatures,
 * redaction of secret headers) and the HTTP sender (time budget, no redirects, bounded
 * response read, SSRF guard).
 */
export * from './webhook-signing';
export * from './http-sender';
