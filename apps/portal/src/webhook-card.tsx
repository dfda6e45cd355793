/** One webhook as a card: what it is, how it is doing, and what can be done with it. */
import { useState } from 'preact/hooks';
import type { Webhook } from './api-types';
import { useApi } from './api-context';
import { eventLogHref } from './routes';
import { CardMenu } from './card-menu';
import { ConfirmDialog } from './confirm-dialog';
import { TestEventDialog } from './test-event-dialog';
import { percent, relativeTime, utcTime } from './format';
import { Badge, useToast, useUniqueId } from './ui';

export function StatusBadge(props: { webhook: Webhook }) {
  const { status } = props.webhook;
  if (status === 'ACTIVE') return <Badge tone="green">Active</Badge>;
  if (status === 'DISABLED') return <Badge tone="red">Disabled</Badge>;
  return <Badge tone="gray">Inactive</Badge>;
}

export function WebhookCard(props: {
  webhook: Webhook;
  onEdit: () => void;
  onDelete: () => void;
  onChanged: (webhook: Webhook) => void;
}) {
  const { webhook } = props;
  const api = useApi();
  const toast = useToast();
  const titleId = useUniqueId();
  const [busy, setBusy] = useState(false);
  const [confirmRotate, setConfirmRotate] = useState(false);
  const [testing, setTesting] = useState(false);
  const name = webhook.name ?? webhook.url;
  const stats = webhook.deliveryStats;
  const byId = { params: { path: { id: webhook.id } } };

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    try {
      await action();
    } catch (error) {
      toast((error as Error).message, 'error');
    } finally {
      setBusy(false);
    }
  };

  const setActive = (active: boolean) =>
    run(async () => {
      props.onChanged(await api.call(api.herald.PATCH('/v1/webhooks/{id}', { ...byId, body: { active } })));
      toast(active ? `"${name}" activated` : `"${name}" deactivated`);
    });

  const copySecret = () =>
    run(async () => {
      const { secret } = await api.call(api.herald.GET('/v1/webhooks/{id}/secret', byId));
      try {
        await navigator.clipboard.writeText(secret);
      } catch {
        throw new Error(
          'The browser did not allow copying to the clipboard. Allow clipboard access for this page and try again.',
        );
      }
      toast('Webhook secret copied successfully');
    });

  const rotateSecret = async () => {
    const rotated = await api.call(api.herald.POST('/v1/webhooks/{id}/rotate-secret', { ...byId, body: {} }));
    const secrets = await api.call(api.herald.GET('/v1/webhooks/{id}/secret', byId));
    props.onChanged(rotated);
    setConfirmRotate(false);
    toast(
      secrets.previousSecretExpiresAt
        ? `New secret generated. The previous one keeps working until ${utcTime(secrets.previousSecretExpiresAt)}.`
        : 'New secret generated. The previous one no longer works.',
    );
  };

  return (
    <article class="card" aria-labelledby={titleId}>
      <div class="card__head">
        <h2 class="card__title" id={titleId}>
          {name}
        </h2>
        <StatusBadge webhook={webhook} />
      </div>
      <p class="card__url" title={webhook.url}>
        {webhook.url}
      </p>
      {webhook.status === 'DISABLED' && (
        <p class="card__reason">Disabled by Herald: {webhook.disabledReason ?? 'no reason recorded'}</p>
      )}
      <ul class="card__events" aria-label="Event types">
        {webhook.events.map((event) => (
          <li key={event}>
            <Badge tone="blue">{event === '*' ? 'All events' : event}</Badge>
          </li>
        ))}
      </ul>
      <dl class="card__stats">
        <div>
          <dt>Last triggered</dt>
          <dd>
            {webhook.lastTriggeredAt ? (
              <time dateTime={webhook.lastTriggeredAt} title={utcTime(webhook.lastTriggeredAt)}>
                {relativeTime(webhook.lastTriggeredAt)}
              </time>
            ) : (
              'Never'
            )}
          </dd>
        </div>
        <div>
          <dt>Success rate</dt>
          <dd>
            {stats && stats.successRate !== null
              ? `${percent(stats.successRate)} of ${stats.attempts} ${stats.attempts === 1 ? 'attempt' : 'attempts'}`
              : 'No attempts yet'}
          </dd>
        </div>
        {webhook.failureEmail && (
          <div>
            <dt>Sidechannel e-mail</dt>
            <dd>{webhook.failureEmail}</dd>
          </div>
        )}
      </dl>
      {stats?.lastError && stats.lastOutcome !== 'success' && (
        <p class="card__last-error">
          Last error{stats.lastErrorAt ? ` (${relativeTime(stats.lastErrorAt)})` : ''}: {stats.lastError}
        </p>
      )}
      <div class="card__actions">
        <button
          type="button"
          class="button button--small button--secret"
          onClick={copySecret}
          aria-label={`Copy secret of ${name}`}
          disabled={busy}
        >
          Copy secret
        </button>
        <a class="button button--small" href={eventLogHref(webhook.id)} aria-label={`Event log of ${name}`}>
          Event log
        </a>
        <CardMenu
          label={`Actions for ${name}`}
          disabled={busy}
          write
          items={[
            { label: 'Edit', name: `Edit ${name}`, write: true, onSelect: props.onEdit },
            webhook.status === 'ACTIVE'
              ? { label: 'Deactivate', name: `Deactivate ${name}`, write: true, onSelect: () => setActive(false) }
              : { label: 'Activate', name: `Activate ${name}`, write: true, onSelect: () => setActive(true) },
            {
              label: 'Send test event',
              name: `Send test event to ${name}`,
              write: true,
              onSelect: () => setTesting(true),
            },
            {
              label: 'Rotate secret',
              name: `Rotate secret of ${name}`,
              write: true,
              onSelect: () => setConfirmRotate(true),
            },
            { label: 'Delete', name: `Delete ${name}`, write: true, danger: true, onSelect: props.onDelete },
          ]}
        />
      </div>
      {testing && <TestEventDialog webhook={webhook} onClose={() => setTesting(false)} />}
      {confirmRotate && (
        <ConfirmDialog
          title={`Rotate the secret of "${name}"?`}
          message="Herald generates a new signing secret now and signs with both for an overlap period, so your receiver can switch to the new one without missing a message."
          confirmLabel="Rotate secret"
          onCancel={() => setConfirmRotate(false)}
          onConfirm={rotateSecret}
        />
      )}
    </article>
  );
}
