import { portalSecurityHeaders } from './portal-security-headers';
import { sessionCookie, sessionTokenOf } from './portal-session-cookie';

describe('portal headers and the session cookie', () => {
  it('refuses all framing without listed origins, and allows exactly the listed ones otherwise', () => {
    const closed = portalSecurityHeaders([]);
    expect(closed['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(closed['x-frame-options']).toBe('DENY');
    const open = portalSecurityHeaders(['https://app.example.com', 'http://127.0.0.1:4000']);
    expect(open['content-security-policy']).toContain('frame-ancestors https://app.example.com http://127.0.0.1:4000');
    expect(open['x-frame-options']).toBeUndefined();
  });

  it('sets HttpOnly always, SameSite=None; Secure only for embedding, Secure over TLS', () => {
    const token = `hps_${'a'.repeat(43)}`;
    const expiresAt = new Date(Date.now() + 60_000);
    const lax = sessionCookie(token, { expiresAt, secure: false, embedding: false });
    expect(lax).toMatch(/HttpOnly/);
    expect(lax).toMatch(/SameSite=Lax/);
    expect(lax).not.toMatch(/Secure/);
    expect(sessionCookie(token, { expiresAt, secure: true, embedding: false })).toMatch(/Secure/);
    const embedded = sessionCookie(token, { expiresAt, secure: false, embedding: true });
    expect(embedded).toMatch(/SameSite=None/);
    expect(embedded).toMatch(/Secure/);
    expect(sessionTokenOf(lax.split(';')[0])).toBe(token);
    expect(sessionTokenOf('herald_session=hps_short')).toBeUndefined();
  });
});
