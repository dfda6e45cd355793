/** Sign in with an API key; it is checked against the API before the portal opens. */
import { useState } from 'preact/hooks';
import { HeraldApiError } from '@herald/sdk';
import { ApiClient, type Session } from './api-client';
import { ErrorText } from './ui';

export function SignIn(props: { notice: string | null; onSignedIn: (session: Session) => void }) {
  const [apiKey, setApiKey] = useState('');
  const [tenantId, setTenantId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!apiKey.trim()) {
      setError("Enter an API key: this field can't be empty");
      return;
    }
    const session: Session = { apiKey: apiKey.trim(), ...(tenantId.trim() ? { tenantId: tenantId.trim() } : {}) };
    setBusy(true);
    setError(null);
    try {
      const api = new ApiClient(session);
      await api.call(api.herald.GET('/v1/webhooks', { params: { query: { limit: 1 } } }));
      props.onSignedIn(session);
    } catch (failure) {
      setError(
        failure instanceof HeraldApiError && failure.status === 401
          ? 'That API key was not accepted. Check it and try again.'
          : failure instanceof Error
            ? failure.message
            : 'Sign-in failed',
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="sign-in">
      <form class="sign-in__card" onSubmit={submit} noValidate aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">
          <img src="/admin/favicon.svg" alt="" width={28} height={28} /> Herald webhooks
        </h1>
        <p class="muted">Sign in with an API key to manage your webhooks.</p>
        {props.notice && <p class="notice">{props.notice}</p>}
        <div class="field">
          <label for="api-key">API key</label>
          <input
            id="api-key"
            type="password"
            autocomplete="off"
            spellcheck={false}
            autofocus
            value={apiKey}
            onInput={(e) => setApiKey(e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="tenant">
            Tenant <span class="muted">(optional; only the bootstrap admin key needs it)</span>
          </label>
          <input
            id="tenant"
            type="text"
            autocomplete="off"
            spellcheck={false}
            value={tenantId}
            onInput={(e) => setTenantId(e.currentTarget.value)}
          />
        </div>
        <ErrorText message={error} />
        <button type="submit" class="button button--primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
