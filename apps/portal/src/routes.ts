/** The portal's hash routes. */
export type Route = { page: 'webhooks' } | { page: 'mindstamp' } | { page: 'event-log'; webhookId: string };

export function parseRoute(hash: string): Route {
  if (hash === '#/mindstamp') return { page: 'mindstamp' };
  const match = /^#\/webhooks\/([^/]+)\/event-log$/.exec(hash);
  return match ? { page: 'event-log', webhookId: decodeURIComponent(match[1]) } : { page: 'webhooks' };
}

export const eventLogHref = (webhookId: string) => `#/webhooks/${encodeURIComponent(webhookId)}/event-log`;
