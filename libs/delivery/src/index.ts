/**
 * @herald/delivery — the deliverer: take a task, sign, send (5-second budget, no redirects,
 * bounded response read), record the attempt on `webhooks.attempts`.
 */
export * from './http-sender';
export * from './endpoint-directory';
export * from './deliver-attempt.usecase';
export * from './delivery.module';
