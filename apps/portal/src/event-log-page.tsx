/** One webhook's event log: every attempt with its request and response, newest first. */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Attempt, Recovery, Webhook } from './api-types';
import { useApi } from './api-context';
import { duration, prettyBody, utcTime } from './format';
import { Badge, ErrorText, useToast, useUniqueId } from './ui';
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
  return <pre class="code">{entries.map(([name, value]) => `${name}: ${value}`).join('\n')}</pre>;
}

const triggerLabel: Record<NonNullable<Attempt['trigger']>, string | null> = {
  event: null,
  retry: 'Retry',
  redelivery: 'Redelivery',
  recovery: 'Recovery',
};

/** `datetime-local` value (local time, minutes) for a moment. */
function localInputValue(date: Date): string {
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

function AttemptItem(props: { attempt: Attempt; onRedeliver: (attempt: Attempt) => Promise<void> }) {
  const { attempt } = props;
  const ok = attempt.outcome === 'success';
  const [busy, setBusy] = useState(false);
  const trigger = attempt.trigger ? triggerLabel[attempt.trigger] : null;
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
            {trigger && (
              <>
                {' '}
                <Badge tone="amber">{trigger}</Badge>
              </>
            )}
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
          <button
            type="button"
            class="button button--small"
            data-write
            disabled={busy}
            onClick={async () => {
              setBusy(true);
              await props.onRedeliver(attempt);
              setBusy(false);
            }}
          >
            Redeliver this event
          </button>
        </div>
      </details>
    </li>
  );
}

function RecoverForm(props: { webhookId: string; onStarted: () => void }) {
  const api = useApi();
  const toast = useToast();
  const inputId = useUniqueId();
  const [since, setSince] = useState(() => localInputValue(new Date(Date.now() - 24 * 3_600_000)));
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const alive = useRef(true);
  useEffect(() => () => void (alive.current = false), []);

  const submit = async (event: Event) => {
    event.preventDefault();
    const from = new Date(since);
    if (!since || Number.isNaN(from.getTime())) {
      setError('Choose the time to recover from');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      let job: Recovery = await api.call(
        api.herald.POST('/v1/recoveries', { body: { webhookId: props.webhookId, since: from.toISOString() } }),
      );
      setStatus('Recovery running…');
      props.onStarted();
      // The job runs in the background at a bounded rate; follow it for a while.
      for (let i = 0; i < 60 && job.status === 'running' && alive.current; i++) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        const recoveryId = job.recoveryId;
        job = await api.call(api.herald.GET('/v1/recoveries/{recoveryId}', { params: { path: { recoveryId } } }));
      }
      const summary =
        job.status === 'completed'
          ? `Recovery finished: ${job.scheduled} failed ${job.scheduled === 1 ? 'delivery' : 'deliveries'} resent`
          : job.status === 'failed'
            ? `Recovery failed: ${job.error ?? 'unknown error'}`
            : `Recovery still running: ${job.scheduled} resent so far`;
      setStatus(summary);
      toast(summary, job.status === 'failed' ? 'error' : 'success');
      props.onStarted();
    } catch (failure) {
      setError((failure as Error).message);
      setStatus(null);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="recover" onSubmit={submit} aria-label="Recover failed deliveries">
      <div class="field">
        <label for={inputId}>Resend every failed delivery since</label>
        <input
          id={inputId}
          type="datetime-local"
          value={since}
          max={localInputValue(new Date())}
          onInput={(e) => setSince(e.currentTarget.value)}
        />
      </div>
      <button type="submit" class="button" disabled={busy}>
        Recover failed deliveries
      </button>
      {status && <p class="muted recover__status">{status}</p>}
      <ErrorText message={error} />
    </form>
  );
}

export function EventLogPage(props: { webhookId: string }) {
  const api = useApi();
  const toast = useToast();
  const [webhook, setWebhook] = useState<Webhook | null>(null);
  const [attempts, setAttempts] = useState<Attempt[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(
    async (after: string | null) => {
      setLoading(true);
      try {
        const query = { webhookId: props.webhookId, limit: 25, ...(after ? { cursor: after } : {}) };
        const page = await api.call(api.herald.GET('/v1/attempts', { params: { query } }));
        setAttempts((list) => (after && list ? [...list, ...page.data] : page.data));
        setCursor(page.nextCursor);
        setError(null);
      } catch (failure) {
        setError((failure as Error).message);
      } finally {
        setLoading(false);
      }
    },
    [api, props.webhookId],
  );

  // After a redelivery or recovery the new attempts arrive within seconds: refresh a few times.
  const watch = useRef<ReturnType<typeof setInterval> | null>(null);
  const watchForNewAttempts = useCallback(() => {
    if (watch.current) clearInterval(watch.current);
    let rounds = 0;
    watch.current = setInterval(() => {
      void load(null);
      if (++rounds >= 8 && watch.current) clearInterval(watch.current);
    }, 1500);
  }, [load]);
  useEffect(() => () => void (watch.current && clearInterval(watch.current)), []);

  const redeliver = async (attempt: Attempt) => {
    try {
      await api.call(
        api.herald.POST('/v1/messages/{eventId}/redeliver', {
          params: { path: { eventId: attempt.eventId } },
          body: { webhookId: props.webhookId },
        }),
      );
      toast('Event sent again: the new attempt appears here in a moment');
      watchForNewAttempts();
    } catch (failure) {
      toast((failure as Error).message, 'error');
    }
  };

  useEffect(() => {
    api
      .call(api.herald.GET('/v1/webhooks/{id}', { params: { path: { id: props.webhookId } } }))
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
      <RecoverForm webhookId={props.webhookId} onStarted={watchForNewAttempts} />
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
              <AttemptItem key={attempt.attemptId} attempt={attempt} onRedeliver={redeliver} />
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
