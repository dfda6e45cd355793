/** One webhook's event log: every attempt with its request and response, newest first. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Attempt, Page, Webhook } from './api-types';
import { useApi } from './app';
import { duration, prettyBody, utcTime } from './format';
import { Badge, ErrorText } from './ui';
import { StatusBadge } from './webhook-card';

const outcomeLabel: Record<Attempt['outcome'], string> = {
  success: 'Succeeded',
  http_error: 'HTTP error',
  timeout: 'Timed out',
  network: 'Network error',
  blocked: 'Blocked',
  gone: 'Gone (410)',
  cancelled: 'Cancelled',
};

function Headers(props: { headers: Record<string, string> }) {
  const entries = Object.entries(props.headers);
  if (entries.length === 0) return <p class="muted">No headers</p>;
  return (
    <pre class="code">
      {entries.map(([name, value]) => `${name}: ${value}`).join('\n')}
    </pre>
  );
}

function AttemptItem(props: { attempt: Attempt }) {
  const { attempt } = props;
  const ok = attempt.outcome === 'success';
  return (
    <li class="attempt">
      <details>
        <summary class="attempt__summary">
          <span class="attempt__status">
            <Badge tone={ok ? 'green' : 'red'}>
              {outcomeLabel[attempt.outcome]}
              {attempt.response ? ` · ${attempt.response.status}` : ''}
            </Badge>
          </span>
          <span class="attempt__event">
            <code>{attempt.eventType}</code>
            <span class="muted"> attempt {attempt.attempt}</span>
          </span>
          <time class="attempt__time" dateTime={attempt.startedAt}>
            {utcTime(attempt.startedAt)}
          </time>
          <span class="attempt__duration">{duration(attempt.durationMs)}</span>
        </summary>
        <div class="attempt__body">
          <p class="muted">
            Event <code>{attempt.eventId}</code> · delivery <code>{attempt.deliveryId}</code>
            {attempt.nextAttemptAt && <> · next attempt {utcTime(attempt.nextAttemptAt)}</>}
            {attempt.deadLettered && <> · gave up (dead-lettered)</>}
          </p>
          {attempt.error && <p class="error-text">{attempt.error}</p>}
          <div class="attempt__panes">
            <section aria-label="Request">
              <h3>Request</h3>
              <p>
                <code>
                  {attempt.request.method} {attempt.request.url}
                </code>
              </p>
              <Headers headers={attempt.request.headers} />
              <pre class="code">{prettyBody(attempt.request.body)}</pre>
            </section>
            <section aria-label="Response">
              <h3>Response</h3>
              {attempt.response ? (
                <>
                  <p>
                    <code>HTTP {attempt.response.status}</code>
                  </p>
                  <Headers headers={attempt.response.headers} />
                  <pre class="code">
                    {attempt.response.body ? prettyBody(attempt.response.body) : '(empty body)'}
                    {attempt.response.bodyTruncated ? '\n… (cut)' : ''}
                  </pre>
                </>
              ) : (
                <p class="muted">No response was received.</p>
              )}
            </section>
          </div>
        </div>
      </details>
    </li>
  );
}

export function EventLogPage(props: { webhookId: string }) {
  const api = useApi();
  const [webhook, setWebhook] = useState<Webhook | null>(null);
  const [attempts, setAttempts] = useState<Attempt[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const base = `/v1/attempts?webhookId=${encodeURIComponent(props.webhookId)}&limit=25`;

  const load = useCallback(
    async (after: string | null) => {
      setLoading(true);
      try {
        const page = await api.request<Page<Attempt>>('GET', after ? `${base}&cursor=${encodeURIComponent(after)}` : base);
        setAttempts((list) => (after && list ? [...list, ...page.data] : page.data));
        setCursor(page.nextCursor);
        setError(null);
      } catch (failure) {
        setError((failure as Error).message);
      } finally {
        setLoading(false);
      }
    },
    [api, base],
  );

  useEffect(() => {
    api
      .request<Webhook>('GET', `/v1/webhooks/${encodeURIComponent(props.webhookId)}`)
      .then(setWebhook)
      .catch((failure: Error) => setError(failure.message));
    void load(null);
  }, [api, props.webhookId, load]);

  return (
    <section aria-labelledby="event-log-title">
      <p>
        <a href="#/">← All webhooks</a>
      </p>
      <div class="page__head">
        <div>
          <h1 id="event-log-title">Event log{webhook ? `: ${webhook.name ?? webhook.url}` : ''}</h1>
          {webhook && (
            <p class="muted">
              <StatusBadge webhook={webhook} /> <span class="card__url">{webhook.url}</span>
            </p>
          )}
        </div>
        <div class="page__actions">
          <button type="button" class="button" onClick={() => load(null)} disabled={loading}>
            Refresh
          </button>
        </div>
      </div>
      <ErrorText message={error} />
      {attempts && attempts.length === 0 && (
        <div class="zero-state">
          <h2>No delivery attempts yet</h2>
          <p class="muted">Attempts appear here once an event this webhook subscribes to is delivered.</p>
        </div>
      )}
      {attempts && attempts.length > 0 && (
        <>
          <div class="attempt__summary attempt__summary--head" aria-hidden="true">
            <span>Status</span>
            <span>Event</span>
            <span>Time</span>
            <span>Duration</span>
          </div>
          <ul class="attempts" aria-label="Delivery attempts">
            {attempts.map((attempt) => (
              <AttemptItem key={attempt.attemptId} attempt={attempt} />
            ))}
          </ul>
        </>
      )}
      {cursor && (
        <button type="button" class="button" onClick={() => load(cursor)} disabled={loading}>
          Load older attempts
        </button>
      )}
    </section>
  );
}
