/**
 * @herald/webhook-request — what a webhook receives, built and sent one way for deliveries and test events
 * alike: the signed request and the HTTP sender.
 */
export * from './webhook-signing';
export * from './http-sender';
