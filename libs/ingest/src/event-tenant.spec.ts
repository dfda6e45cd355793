import { httpErrorOf, type Principal } from '@herald/http';
import { eventForPrincipal } from './event-tenant';

const tenantKey: Principal = { tenantId: 'acme', scopes: ['admin'], keyId: 'key_1', bootstrap: false };
const bootstrap: Principal = { tenantId: 'default', scopes: ['admin', 'read'], keyId: 'bootstrap', bootstrap: true };

describe('eventForPrincipal', () => {
  it("fills a tenant key's tenant when the event names none", () => {
    expect(eventForPrincipal({ eventType: 'a.b' }, tenantKey)).toEqual({ eventType: 'a.b', tenantId: 'acme' });
  });

  it("accepts the key's own tenant and refuses another one with 403", () => {
    expect(eventForPrincipal({ eventType: 'a.b', tenantId: 'acme' }, tenantKey)).toEqual({
      eventType: 'a.b',
      tenantId: 'acme',
    });
    expect(() => eventForPrincipal({ eventType: 'a.b', tenantId: 'globex' }, tenantKey)).toThrow(
      expect.objectContaining({ code: 'forbidden' }),
    );
    const refusal = (() => {
      try {
        return eventForPrincipal({ eventType: 'a.b', tenantId: 'globex' }, tenantKey);
      } catch (error) {
        return error;
      }
    })();
    expect(httpErrorOf(refusal).status).toBe(403);
  });

  it('leaves a tenantId that is not a string to validation', () => {
    expect(eventForPrincipal({ eventType: 'a.b', tenantId: 42 }, tenantKey)).toEqual({
      eventType: 'a.b',
      tenantId: 42,
    });
  });

  it('lets the bootstrap key publish for any tenant, as before', () => {
    expect(eventForPrincipal({ eventType: 'a.b', tenantId: 'globex' }, bootstrap)).toEqual({
      eventType: 'a.b',
      tenantId: 'globex',
    });
    expect(eventForPrincipal({ eventType: 'a.b' }, bootstrap)).toEqual({ eventType: 'a.b' });
  });
});
