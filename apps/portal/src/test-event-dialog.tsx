/** Sends one signed test event to a webhook now and shows what its endpoint answered. */
import { useState } from 'preact/hooks';
import type { TestResult, Webhook } from './api-types';
import { useApi } from './api-context';
import { duration, prettyBody } from './format';
import { Badge, Dialog, ErrorText, useUniqueId } from './ui';

export function TestEventDialog(props: { webhook: Webhook; onClose: () => void }) {
  const api = useApi();
  const selectId = useUniqueId();
  const concrete = props.webhook.events.filter((e) => !e.includes('*'));
  const [eventType, setEventType] = useState(concrete[0] ?? '');
  const [result, setResult] = useState<TestResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);

  const send = async (event: Event) => {
    event.preventDefault();
    setSending(true);
    setError(null);
    setResult(null);
    try {
      const body = eventType ? { eventType } : {};
      const id = props.webhook.id;
      setResult(await api.call(api.herald.POST('/v1/webhooks/{id}/test', { params: { path: { id } }, body })));
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setSending(false);
    }
  };

  const ok = result?.outcome === 'success';
  return (
    <Dialog title={`Send a test event to "${props.webhook.name ?? props.webhook.url}"`} onClose={props.onClose} wide>
      <form onSubmit={send}>
        <p class="muted">
          Herald signs and sends one test event to <code>{props.webhook.url}</code> now, as it would a real one. It is
          not retried and does not count in the event log.
        </p>
        {concrete.length > 0 && (
          <div class="field">
            <label for={selectId}>Event type</label>
            <select id={selectId} value={eventType} onChange={(e) => setEventType(e.currentTarget.value)}>
              {concrete.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </div>
        )}
        <div role="status" aria-live="polite" class="test-result">
          {sending && <p class="muted">Sending…</p>}
          {result && (
            <div class="result">
              <p>
                <Badge tone={ok ? 'green' : 'red'}>{ok ? 'Delivered' : 'Failed'}</Badge>{' '}
                {result.response ? `HTTP ${result.response.status}` : 'No response'} in {duration(result.durationMs)}
              </p>
              {result.error && result.error !== `HTTP ${result.response?.status}` && (
                <p class="error-text">{result.error}</p>
              )}
              {result.response && (
                <>
                  <h3>Response body</h3>
                  <pre class="code">
                    {result.response.body ? prettyBody(result.response.body) : '(empty body)'}
                    {result.response.bodyTruncated ? '\n… (cut)' : ''}
                  </pre>
                </>
              )}
              <details>
                <summary>Request sent</summary>
                <pre class="code">{prettyBody(result.request.body)}</pre>
              </details>
            </div>
          )}
        </div>
        <ErrorText message={error} />
        <div class="dialog__actions">
          <button type="button" class="button" onClick={props.onClose}>
            Close
          </button>
          <button type="submit" class="button button--primary" disabled={sending}>
            {result ? 'Send again' : 'Send test event'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
