/**
 * @herald/event-filter — a webhook's payload filter: a CEL expression over the event, checked
 * when the webhook is written (subscription-api) and compiled once per webhook in the matcher.
 */
export * from './event-filter';
