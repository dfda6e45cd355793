/** Portal-session mode: how the page learns it runs in a session, its branding, and the host-page messages. */
import { createHeraldClient, data } from '@herald/sdk';
import type { PortalSessionInfo } from './api-client';

/** The session link redirects here (`/admin/#session`); a reload keeps the mode for this tab. */
const SESSION_MODE_KEY = 'herald.portal.session-mode';

export function inSessionMode(): boolean {
  if (location.hash === '#session') {
    sessionStorage.setItem(SESSION_MODE_KEY, '1');
    history.replaceState(null, '', `${location.pathname}#/`);
  }
  return sessionStorage.getItem(SESSION_MODE_KEY) === '1';
}

export function leaveSessionMode(): void {
  sessionStorage.removeItem(SESSION_MODE_KEY);
}

/** The session's own description, or null when the cookie is gone, expired or revoked. */
export async function loadPortalSession(): Promise<PortalSessionInfo | null> {
  const herald = createHeraldClient({ portalSession: true });
  return data(herald.GET('/v1/portal-sessions/current')).catch(() => null);
}

/**
 * Applies the session's colours and theme (through CSSOM, which the portal's CSP allows) and its
 * scope: a read-only session hides the write actions (the API refuses them anyway).
 */
export function applySession({ branding, scope }: PortalSessionInfo): void {
  const root = document.documentElement;
  root.dataset.scope = scope;
  if (branding.theme) root.dataset.theme = branding.theme;
  if (branding.primaryColor) {
    root.style.setProperty('--accent', branding.primaryColor);
    root.style.setProperty('--accent-strong', branding.primaryColor);
  }
}

// The README's postMessage contract (resize, navigate): no secret or tenant content, so a host
// page learns only the height and the route.
export function startEmbedMessages(): void {
  if (window.parent === window) return;
  const target = location.ancestorOrigins?.[0] ?? '*';
  const post = (message: Record<string, unknown>) =>
    window.parent.postMessage({ source: 'herald-portal', ...message }, target);
  let lastHeight = -1;
  const resize = () => {
    const height = Math.ceil(document.documentElement.scrollHeight);
    if (height !== lastHeight) post({ type: 'resize', height: (lastHeight = height) });
  };
  new ResizeObserver(resize).observe(document.body);
  resize();
  post({ type: 'navigate', route: location.hash || '#/' });
  addEventListener('hashchange', () => post({ type: 'navigate', route: location.hash || '#/' }));
}
