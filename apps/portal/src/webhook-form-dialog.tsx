/** Create or edit a webhook, validated as the admin types; API refusals land beside their field. */
import { useEffect, useState } from 'preact/hooks';
import { HeraldApiError } from '@herald/sdk';
import type { EventType, Webhook } from './api-types';
import { useApi } from './api-context';
import { Dialog, ErrorText, useUniqueId } from './ui';
import {
  FILTER_MAX,
  NAME_MAX,
  URL_MAX,
  fieldOfServerMessage,
  isValid,
  validateDraft,
  type DraftErrors,
  type DraftField,
  type WebhookDraft,
} from './webhook-draft';

function TextField(props: {
  id: string;
  label: string;
  value: string;
  max: number;
  error: string | undefined;
  type?: string;
  placeholder?: string;
  autofocus?: boolean;
  onInput: (value: string) => void;
  onBlur: () => void;
}) {
  const over = props.value.length > props.max;
  const describedBy = `${props.id}-count${props.error ? ` ${props.id}-error` : ''}`;
  return (
    <div class="field">
      <div class="field__label-row">
        <label for={props.id}>{props.label}</label>
        <span id={`${props.id}-count`} class={over ? 'counter-chars counter-chars--over' : 'counter-chars'}>
          <span class="visually-hidden">Characters used: </span>
          {props.value.length}/{props.max}
        </span>
      </div>
      <input
        id={props.id}
        type={props.type ?? 'text'}
        value={props.value}
        placeholder={props.placeholder}
        data-autofocus={props.autofocus ? '' : undefined}
        autocomplete="off"
        spellcheck={false}
        aria-invalid={props.error ? 'true' : 'false'}
        aria-describedby={describedBy}
        onInput={(e) => props.onInput(e.currentTarget.value)}
        onBlur={props.onBlur}
      />
      {props.error && (
        <p id={`${props.id}-error`} class="field__error">
          {props.error}
        </p>
      )}
    </div>
  );
}

export function WebhookFormDialog(props: {
  webhook: Webhook | null;
  onClose: () => void;
  onSaved: (webhook: Webhook, created: boolean) => void;
}) {
  const api = useApi();
  const id = useUniqueId();
  const editing = props.webhook;
  const [draft, setDraft] = useState<WebhookDraft>(() => ({
    name: editing?.name ?? '',
    url: editing?.url ?? '',
    events: editing?.events ?? [],
    active: editing ? editing.status === 'ACTIVE' : true,
    filter: editing?.filter ?? '',
    timeoutMs: editing?.timeoutMs ? String(editing.timeoutMs) : '',
  }));
  const [touched, setTouched] = useState<Partial<Record<DraftField, boolean>>>({});
  const [serverErrors, setServerErrors] = useState<DraftErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [catalog, setCatalog] = useState<EventType[] | null>(null);
  const [catalogError, setCatalogError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    api
      .call(api.herald.GET('/v1/event-types'))
      // A portal session limited to some event types gets only those from the API.
      .then((page) => setCatalog(page.data))
      .catch((error: Error) => setCatalogError(error.message));
  }, [api]);

  const errors = validateDraft(draft);
  const shown = (field: DraftField) => (touched[field] ? errors[field] : undefined) ?? serverErrors[field];
  const update = (field: DraftField, patch: Partial<WebhookDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setTouched((t) => ({ ...t, [field]: true }));
    setServerErrors((s) => ({ ...s, [field]: undefined }));
  };
  const toggleEvent = (name: string, checked: boolean) =>
    update('events', { events: checked ? [...draft.events, name] : draft.events.filter((e) => e !== name) });

  // Selected filters that are not (or no longer) in the catalog stay visible so saving keeps them.
  const catalogNames = new Set((catalog ?? []).map((t) => t.name));
  const options: { name: string; description: string | null }[] = [
    ...(catalog ?? []).map((t) => ({ name: t.name, description: t.description ?? null })),
    ...draft.events
      .filter((e) => !catalogNames.has(e))
      .map((name) => ({ name, description: name.endsWith('*') ? 'Wildcard filter' : null })),
  ];

  const save = async (event: Event) => {
    event.preventDefault();
    setTouched({ name: true, url: true, events: true, filter: true, timeoutMs: true });
    if (!isValid(errors)) return;
    setSaving(true);
    setFormError(null);
    const body = {
      name: draft.name.trim(),
      url: draft.url.trim(),
      events: draft.events,
      active: draft.active,
      filter: draft.filter.trim() || null,
      timeoutMs: draft.timeoutMs?.trim() ? Number(draft.timeoutMs.trim()) : null,
    };
    try {
      const saved = editing
        ? await api.call(
            api.herald.PATCH('/v1/webhooks/{id}', {
              params: { path: { id: editing.id } },
              body: { ...body, version: editing.version },
            }),
          )
        : await api.call(api.herald.POST('/v1/webhooks', { body }));
      props.onSaved(saved, !editing);
    } catch (error) {
      const message = (error as Error).message;
      const field = fieldOfServerMessage(message);
      if (error instanceof HeraldApiError && (error.status === 409 || error.status === 412)) {
        setFormError(
          'Someone else changed this webhook meanwhile. Close the dialog and open it again to edit the latest version.',
        );
      } else if (field) setServerErrors((s) => ({ ...s, [field]: message }));
      else setFormError(message);
      setSaving(false);
    }
  };

  const eventsError = shown('events');
  const filterError = shown('filter');
  return (
    <Dialog title={editing ? `Edit "${editing.name ?? editing.url}"` : 'New webhook'} onClose={props.onClose} wide>
      <form onSubmit={save} noValidate>
        <TextField
          id={`${id}-name`}
          label="Webhook name"
          value={draft.name}
          max={NAME_MAX}
          error={shown('name')}
          placeholder="Production Event Sync"
          autofocus
          onInput={(name) => update('name', { name })}
          onBlur={() => setTouched((t) => ({ ...t, name: true }))}
        />
        <TextField
          id={`${id}-url`}
          label="Endpoint URL"
          type="url"
          value={draft.url}
          max={URL_MAX}
          error={shown('url')}
          placeholder="https://example.com/webhooks/herald"
          onInput={(url) => update('url', { url })}
          onBlur={() => setTouched((t) => ({ ...t, url: true }))}
        />
        <fieldset class="field events-picker" aria-describedby={eventsError ? `${id}-events-error` : undefined}>
          <legend>Event types</legend>
          {catalog === null && !catalogError && <p class="muted">Loading the event-type catalog…</p>}
          {catalogError && <p class="field__error">The event-type catalog could not be loaded: {catalogError}</p>}
          {catalog && options.length === 0 && (
            <p class="muted">
              No event types are registered for this tenant yet. Register them in the event-type catalog first.
            </p>
          )}
          <ul class="events-picker__list">
            {options.map((option) => (
              <li key={option.name}>
                <label class="check">
                  <input
                    type="checkbox"
                    checked={draft.events.includes(option.name)}
                    onChange={(e) => toggleEvent(option.name, e.currentTarget.checked)}
                  />
                  <span>
                    <code>{option.name}</code>
                    {option.description && <span class="muted"> — {option.description}</span>}
                  </span>
                </label>
              </li>
            ))}
          </ul>
          {eventsError && (
            <p id={`${id}-events-error`} class="field__error">
              {eventsError}
            </p>
          )}
        </fieldset>
        <div class="field">
          <div class="field__label-row">
            <label for={`${id}-filter`}>Payload filter (optional)</label>
            <span class={draft.filter.length > FILTER_MAX ? 'counter-chars counter-chars--over' : 'counter-chars'}>
              {draft.filter.length}/{FILTER_MAX}
            </span>
          </div>
          <textarea
            id={`${id}-filter`}
            rows={2}
            value={draft.filter}
            placeholder='event.data.amount >= 100.0 && event.data.currency == "EUR"'
            spellcheck={false}
            aria-invalid={filterError ? 'true' : 'false'}
            aria-describedby={`${id}-filter-hint${filterError ? ` ${id}-filter-error` : ''}`}
            onInput={(e) => update('filter', { filter: e.currentTarget.value })}
          />
          <p id={`${id}-filter-hint`} class="muted field__hint">
            A CEL expression over <code>event.type</code>, <code>event.data</code> and <code>event.metadata</code>; only
            events it accepts are sent. Leave empty to send every event of the chosen types.
          </p>
          {filterError && (
            <p id={`${id}-filter-error`} class="field__error">
              {filterError}
            </p>
          )}
        </div>
        <TextField
          id={`${id}-timeout`}
          label="Timeout in ms (optional; empty: the deployment's, 5000 by default)"
          value={draft.timeoutMs ?? ''}
          max={6}
          error={shown('timeoutMs')}
          placeholder="5000"
          onInput={(timeoutMs) => update('timeoutMs', { timeoutMs })}
          onBlur={() => setTouched((t) => ({ ...t, timeoutMs: true }))}
        />
        <div class="field">
          <label class="switch">
            <input
              type="checkbox"
              role="switch"
              checked={draft.active}
              onChange={(e) => setDraft((d) => ({ ...d, active: e.currentTarget.checked }))}
            />
            <span>Active</span>
          </label>
          <p class="muted field__hint">
            {draft.active
              ? 'Events are sent as soon as the webhook is saved.'
              : 'The webhook is saved but sends nothing until activated.'}
          </p>
        </div>
        <ErrorText message={formError} />
        <div class="dialog__actions">
          <button type="button" class="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" class="button button--primary" disabled={!isValid(errors) || saving}>
            {saving ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
