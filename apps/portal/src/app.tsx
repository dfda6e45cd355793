/** The portal shell: session (sessionStorage, this tab only), hash routes, the API client. */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiClient, type Session } from './api-client';
import { ApiContext } from './api-context';
import { EventLogPage } from './event-log-page';
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
  const [session, setSession] = useState<Session | null>(loadSession);
  const [notice, setNotice] = useState<string | null>(null);
  const [route, setRoute] = useState<Route>(() => parseRoute(location.hash));

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
        ? new ApiClient(
            session,
            (path, init) => fetch(path, init),
            () => signOut('Your API key was refused. Sign in again.'),
          )
        : null,
    [session],
  );

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
        <header class="topbar">
          <a class="topbar__brand" href="#/">
            <img src="/admin/favicon.svg" alt="" width={24} height={24} /> Herald
          </a>
          <span class="topbar__tenant">{session.tenantId ? `Tenant: ${session.tenantId}` : 'Signed in'}</span>
          <button type="button" class="button button--ghost" onClick={() => signOut(null)}>
            Sign out
          </button>
        </header>
        <main class="page" id="main">
          {route.page === 'event-log' ? <EventLogPage webhookId={route.webhookId} /> : <WebhooksPage />}
        </main>
      </ToastProvider>
    </ApiContext.Provider>
  );
}
