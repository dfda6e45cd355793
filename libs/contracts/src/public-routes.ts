// The gateway and the Helm Ingress both route from this table, so a new route is added once.
export const PUBLIC_ROUTES = [
  { prefix: '/v1/webhooks', service: 'subscription-api' },
  { prefix: '/v1/api-keys', service: 'subscription-api' },
  { prefix: '/v1/event-types', service: 'subscription-api' },
  { prefix: '/v1/portal-sessions', service: 'subscription-api' },
  { prefix: '/v1/contacts', service: 'subscription-api' },
  { prefix: '/v1/url-tests', service: 'subscription-api' },
  { prefix: '/api/v1/webhooks', service: 'subscription-api' },
  { prefix: '/api/v1/appuid', service: 'subscription-api' },
  { prefix: '/api/v1/mindstamp', service: 'subscription-api' },
  { prefix: '/v1/profiles', service: 'subscription-api' },
  { prefix: '/v1/tenants', service: 'subscription-api' },
  { prefix: '/openapi.json', service: 'subscription-api' },
  { prefix: '/docs', service: 'subscription-api' },
  { prefix: '/v1/events', service: 'event-ingest' },
  { prefix: '/v1/attempts', service: 'audit-log' },
  { prefix: '/v1/messages', service: 'audit-log' },
  { prefix: '/v1/audit-log', service: 'audit-log' },
  { prefix: '/v1/recoveries', service: 'audit-log' },
  { prefix: '/admin', service: 'subscription-api' },
] as const satisfies readonly { prefix: string; service: HeraldServiceName }[];

export type HeraldServiceName = 'subscription-api' | 'event-ingest' | 'matcher' | 'deliverer' | 'audit-log';
