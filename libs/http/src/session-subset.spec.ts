import type { Principal } from './api-access';
import {
  assertSessionEventTypes,
  assertSessionMayCreateWebhook,
  eventTypesOutsideSession,
  sessionEventTypeSql,
  sessionSeesWebhook,
} from './session-subset';

const limited = (webhookIds: string[] | null, eventTypes: string[] | null): Principal => ({
  tenantId: 'acme',
  scopes: ['admin'],
  keyId: 'ps_1',
  session: { id: 'ps_1', webhookIds, eventTypes },
});
const apiKey: Principal = { tenantId: 'acme', scopes: ['admin'], keyId: 'key_1' };

describe("a portal session's subset", () => {
  it('covers exact names and names under a wildcard, never a wider subscription', () => {
    const agents = limited(null, ['agent.*', 'order.created']);
    expect(eventTypesOutsideSession(agents, ['agent.created', 'agent.sub.*', 'order.created'])).toEqual([]);
    expect(eventTypesOutsideSession(agents, ['*', 'order.*', 'agentx.created', 'order.updated'])).toEqual([
      '*',
      'order.*',
      'agentx.created',
      'order.updated',
    ]);
    expect(eventTypesOutsideSession(limited(null, ['*']), ['*', 'a.b'])).toEqual([]);
    expect(eventTypesOutsideSession(apiKey, ['*'])).toEqual([]);
  });

  it('shows a webhook only when listed and subscribing only within the types', () => {
    expect(sessionSeesWebhook(limited(['wh_1'], null), { id: 'wh_2', events: ['a.b'] })).toBe(false);
    expect(sessionSeesWebhook(limited(['wh_1'], ['a.*']), { id: 'wh_1', events: ['a.b', 'c.d'] })).toBe(false);
    expect(sessionSeesWebhook(limited(['wh_1'], ['a.*']), { id: 'wh_1', events: ['a.b'] })).toBe(true);
    expect(sessionSeesWebhook(apiKey, { id: 'wh_9', events: ['*'] })).toBe(true);
  });

  it('refuses subscriptions beyond the types naming them, and creation in a webhook-limited session', () => {
    expect(() => assertSessionEventTypes(limited(null, ['a.*']), ['a.b', 'c.d', '*'])).toThrow(
      'This portal session is limited to event types a.*; it cannot use c.d, *',
    );
    expect(() => assertSessionEventTypes(apiKey, ['*'])).not.toThrow();
    expect(() => assertSessionMayCreateWebhook(limited(['wh_1'], null))).toThrow('cannot create others');
    expect(() => assertSessionMayCreateWebhook(limited(null, ['a.*']))).not.toThrow();
  });

  it('splits the types into names and wildcard prefixes for SQL', () => {
    expect(sessionEventTypeSql(['a.*', 'b.c', '*'])).toEqual({ names: ['a.*', 'b.c', '*'], prefixes: ['a.', ''] });
  });
});
