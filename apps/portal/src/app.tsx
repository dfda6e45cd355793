/**
 * The portal shell: session (an API key in sessionStorage, this tab only, or a portal session's
 * cookie), hash routes, the API client.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiClient, type PortalSessionInfo, type Session } from './api-client';
import { ApiContext } from './api-context';
import { EventLogPage } from './event-log-page';
import { MindstampNav, MindstampSettingsPage } from './mindstamp-settings';
import { applySession, inSessionMode, leaveSessionMode, loadPortalSession, startEmbedMessages } from './portal-session';
import { parseRoute, type Route } from './routes';
import { SignIn } from './sign-in';
import { ToastProvider } from './ui';
import { WebhooksPage } from './webhooks-page';

const SESSION_KEY = 'herald.portal.session';

function loadSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(SESSION_KEY);
    const value = raw ? JSON.parse(raw) : null;
    return value && typeof value.apiKey === 'string' ? value : null;
  } catch {
    return null;
  }
}

export function App() {
  const [sessionMode] = useState(inSessionMode);
  const [session, setSession] = useState<Session | null>(() => (sessionMode ? null : loadSession()));
  const [notice, setNotice] = useState<string | null>(null);
  const [route, setRoute] = useState<Route>(() => parseRoute(location.hash));
  const [portalState, setPortalState] = useState<'loading' | 'ready' | 'ended'>('loading');

  useEffect(() => {
    startEmbedMessages();
    if (!sessionMode) return;
    void loadPortalSession().then((portal) => {
      if (!portal) {
        leaveSessionMode();
        setPortalState('ended');
        return;
      }
      applySession(portal);
      setSession({ portal });
      setPortalState('ready');
    });
  }, [sessionMode]);

  useEffect(() => {
    const onHash = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);

  useEffect(() => {
    document.title = route.page === 'event-log' ? 'Event log · Herald' : 'Webhooks · Herald';
  }, [route]);

  const signOut = (message: string | null) => {
    sessionStorage.removeItem(SESSION_KEY);
    setNotice(message);
    setSession(null);
  };

  const client = useMemo(
    () =>
      session
        ? new ApiClient(session, {
            onUnauthorized: session.portal
              ? () => {
                  leaveSessionMode();
                  setSession(null);
                  setPortalState('ended');
                }
              : () => signOut('Your API key was refused. Sign in again.'),
          })
        : null,
    [session],
  );

  if (sessionMode && portalState !== 'ready') return <SessionNotice state={portalState} />;
  if (!session || !client) {
    return (
      <SignIn
        notice={notice}
        onSignedIn={(next) => {
          sessionStorage.setItem(SESSION_KEY, JSON.stringify(next));
          setNotice(null);
          setSession(next);
        }}
      />
    );
  }

  return (
    <ApiContext.Provider value={client}>
      <ToastProvider>
        {session.portal ? (
          <BrandedTopbar portal={session.portal} />
        ) : (
          <header class="topbar">
            <a class="topbar__brand" href="#/">
              <img src="/admin/favicon.svg" alt="" width={24} height={24} /> Herald
            </a>
            <span class="topbar__tenant">{session.tenantId ? `Tenant: ${session.tenantId}` : 'Signed in'}</span>
            <button type="button" class="button button--ghost" onClick={() => signOut(null)}>
              Sign out
            </button>
          </header>
        )}
        <main class="page" id="main">
          <MindstampNav current={route.page} />
          {route.page === 'event-log' ? (
            <EventLogPage webhookId={route.webhookId} />
          ) : route.page === 'mindstamp' ? (
            <MindstampSettingsPage />
          ) : (
            <WebhooksPage />
          )}
        </main>
      </ToastProvider>
    </ApiContext.Provider>
  );
}

/** The session's product name and logo instead of Herald's; no sign-out (the platform ends sessions). */
function BrandedTopbar({ portal }: { portal: PortalSessionInfo }) {
  const { productName, logoUrl } = portal.branding;
  return (
    <header class="topbar">
      <a class="topbar__brand" href="#/">
        {logoUrl && <img src={logoUrl} alt="" height={24} />} {productName ?? 'Webhooks'}
      </a>
      <span class="topbar__tenant">{portal.scope === 'read-only' ? 'Read-only' : ''}</span>
    </header>
  );
}

function SessionNotice({ state }: { state: 'loading' | 'ended' }) {
  return (
    <main class="sign-in">
      <div class="sign-in__card" role={state === 'ended' ? 'alert' : 'status'}>
        {state === 'loading' ? (
          <p class="muted">Opening…</p>
        ) : (
          <>
            <h1>Session ended</h1>
            <p class="muted">
              This session has expired or was revoked. Open the webhooks page again from your application.
            </p>
          </>
        )}
      </div>
    </main>
  );
}
