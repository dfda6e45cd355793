/**
 * @herald/operational-webhooks — Herald's own events about webhook health (disabled, enabled,
 * failing, recovered, dead-lettered), published on `webhooks.events` for the webhook's tenant and the operator.
 */
export * from './operational-event';
export * from './webhook-status-events';
export * from './delivery-health-events';
