/** @herald/delivery — the deliverer: gate, sign, send, record, and retry durably via delay-tier topics. */
export * from './webhook-directory';
export * from './webhook-gate';
export * from './retry-schedule';
export * from './notification-mailer';
export * from './deliver-attempt.usecase';
export * from './delivery-step-messages';
export * from './delivery.options';
export * from './delivery.module';
