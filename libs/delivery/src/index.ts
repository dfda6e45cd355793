/**
 * @herald/delivery — the deliverer: take a task, ask the webhook's gate (circuit breaker,
 * concurrency cap, rate limit), sign, send (5-second budget, no redirects, bounded response
 * read, SSRF guard), record the attempt, and retry durably through delay-tier topics until the
 * schedule is exhausted (dead letter + notification) or the webhook is disabled.
 */
export * from './webhook-directory';
export * from './webhook-gate';
export * from './retry-schedule';
export * from './notification-mailer';
export * from './deliver-attempt.usecase';
export * from './delivery-step-messages';
export * from './delivery.module';
