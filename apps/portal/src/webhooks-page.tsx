/** The Webhooks page: counter against the tenant's limit, search, status filter, cards, dialogs. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Webhook } from './api-types';
import { useApi } from './api-context';
import { ConfirmDialog } from './confirm-dialog';
import { ErrorText, useToast } from './ui';
import { WebhookCard } from './webhook-card';
import { WebhookFormDialog } from './webhook-form-dialog';
import { ZeroStateArt } from './zero-state-art';

/** Herald's README, rendered into the portal's build (build.mjs), at its section on webhooks in the portal. */
export const HELP_URL = '/admin/help.html#admin-portal';

type Filter = 'all' | 'active' | 'inactive';

type Modal = { kind: 'create' } | { kind: 'edit'; webhook: Webhook } | { kind: 'delete'; webhook: Webhook } | null;

export function WebhooksPage() {
  const api = useApi();
  const toast = useToast();
  const [webhooks, setWebhooks] = useState<Webhook[] | null>(null);
  const [limit, setLimit] = useState<number | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [filter, setFilter] = useState<Filter>('all');
  const [modal, setModal] = useState<Modal>(null);

  const load = useCallback(async () => {
    try {
      const { items, limit: tenantLimit } = await api.allWebhooks();
      // A portal session limited to some webhooks or event types gets only those from the API.
      setWebhooks(items);
      setLimit(tenantLimit);
      setLoadError(null);
    } catch (error) {
      setLoadError((error as Error).message);
    }
  }, [api]);

  useEffect(() => {
    void load();
  }, [load]);

  const replace = (updated: Webhook) =>
    setWebhooks((list) => list && list.map((w) => (w.id === updated.id ? { ...w, ...updated } : w)));

  const atLimit = webhooks !== null && limit !== null && webhooks.length >= limit;
  const needle = query.trim().toLowerCase();
  const visible = (webhooks ?? []).filter(
    (w) =>
      (!needle || (w.name ?? '').toLowerCase().includes(needle)) &&
      (filter === 'all' || (filter === 'active' ? w.status === 'ACTIVE' : w.status !== 'ACTIVE')),
  );

  return (
    <section aria-labelledby="webhooks-title">
      <div class="page__head">
        <div>
          <h1 id="webhooks-title">Webhooks</h1>
          <p class="muted">
            Herald sends a signed POST to each active webhook when an event it subscribes to happens.{' '}
            <a class="help-link" href={HELP_URL} target="_blank" rel="noopener">
              How webhooks work in Herald
            </a>
          </p>
        </div>
        <div class="page__actions">
          {webhooks && (
            <p class="counter" id="webhook-counter">
              {limit !== null
                ? `${webhooks.length} of ${limit} webhooks`
                : `${webhooks.length} ${webhooks.length === 1 ? 'webhook' : 'webhooks'}`}
            </p>
          )}
          <button
            type="button"
            class="button button--primary"
            data-write
            onClick={() => setModal({ kind: 'create' })}
            disabled={!webhooks || atLimit}
            aria-describedby={atLimit ? 'limit-note' : undefined}
          >
            New webhook
          </button>
          {atLimit && (
            <p class="limit-note" id="limit-note">
              This tenant has reached its limit of {limit} webhooks. Delete one to create another.
            </p>
          )}
        </div>
      </div>

      <div class="toolbar" role="search">
        <div class="field field--inline field--grow">
          <label for="search">Search by name</label>
          <input
            id="search"
            type="search"
            placeholder="Search webhooks"
            value={query}
            onInput={(e) => setQuery(e.currentTarget.value)}
          />
        </div>
        <div class="field field--inline">
          <label for="status-filter">Status</label>
          <select id="status-filter" value={filter} onChange={(e) => setFilter(e.currentTarget.value as Filter)}>
            <option value="all">All</option>
            <option value="active">Active</option>
            <option value="inactive">Inactive</option>
          </select>
        </div>
      </div>

      <ErrorText message={loadError} />
      {webhooks === null && !loadError && <p class="muted">Loading webhooks…</p>}

      {webhooks && webhooks.length === 0 && (
        <div class="zero-state">
          <ZeroStateArt />
          <h2>No webhooks configured</h2>
          <p class="muted">Configure webhooks to receive real-time event notifications.</p>
        </div>
      )}
      {webhooks && webhooks.length > 0 && visible.length === 0 && (
        <div class="zero-state">
          <h2>No webhooks match your search</h2>
          <p class="muted">Try again with a different search term or status.</p>
          <button
            type="button"
            class="button"
            onClick={() => {
              setQuery('');
              setFilter('all');
            }}
          >
            Clear search
          </button>
        </div>
      )}
      {visible.length > 0 && (
        <ul class="cards" aria-label="Webhooks">
          {visible.map((webhook) => (
            <li key={webhook.id}>
              <WebhookCard
                webhook={webhook}
                onEdit={() => setModal({ kind: 'edit', webhook })}
                onDelete={() => setModal({ kind: 'delete', webhook })}
                onChanged={replace}
              />
            </li>
          ))}
        </ul>
      )}

      {(modal?.kind === 'create' || modal?.kind === 'edit') && (
        <WebhookFormDialog
          webhook={modal.kind === 'edit' ? modal.webhook : null}
          onClose={() => setModal(null)}
          onSaved={(saved, created) => {
            setModal(null);
            if (created) setWebhooks((list) => [...(list ?? []), saved]);
            else replace(saved);
            toast(created ? 'Webhook created successfully' : 'Webhook updated successfully');
          }}
        />
      )}
      {modal?.kind === 'delete' && (
        <ConfirmDialog
          title={`Delete "${modal.webhook.name ?? modal.webhook.url}"?`}
          message="Deleting removes this webhook for good: it stops receiving events at once, and there is no way to undo it."
          confirmLabel="Delete"
          danger
          onCancel={() => setModal(null)}
          onConfirm={async () => {
            const id = modal.webhook.id;
            await api.call(api.herald.DELETE('/v1/webhooks/{id}', { params: { path: { id } } }));
            setWebhooks((list) => list && list.filter((w) => w.id !== modal.webhook.id));
            setModal(null);
            toast('Webhook deleted successfully');
          }}
        />
      )}
    </section>
  );
}
