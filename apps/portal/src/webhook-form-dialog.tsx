/** Create or edit a webhook, validated as the admin types; API refusals land beside their field. */
import { useEffect, useLayoutEffect, useState } from 'preact/hooks';
import { HeraldApiError, type Schema } from '@herald/sdk';
import type { EventType, Webhook } from './api-types';
import { useApi } from './api-context';
import { EventsPicker, catalogRules } from './events-picker';
import { ENTITY_CHOICES, entityFilter, mindbridgeOn } from './seed-profiles';
import { Dialog, ErrorText, useUniqueId } from './ui';
import {
  FILTER_MAX,
  NAME_MAX,
  URL_MAX,
  draftEvents,
  fieldOfServerMessage,
  isValid,
  validateDraft,
  type DraftErrors,
  type DraftField,
  type WebhookDraft,
} from './webhook-draft';

type Contact = Schema<'Contact'>;

function TextField(props: {
  id: string;
  label: string;
  value: string;
  max: number;
  error: string | undefined;
  type?: string;
  placeholder?: string;
  hint?: string;
  readOnly?: boolean;
  autofocus?: boolean;
  onInput: (value: string) => void;
  onBlur: () => void;
}) {
  const over = props.value.length > props.max;
  const describedBy = [`${props.id}-count`, props.hint && `${props.id}-hint`, props.error && `${props.id}-error`]
    .filter(Boolean)
    .join(' ');
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
        readOnly={props.readOnly}
        data-autofocus={props.autofocus ? '' : undefined}
        autocomplete="off"
        spellcheck={false}
        aria-invalid={props.error ? 'true' : 'false'}
        aria-describedby={describedBy}
        onInput={(e) => props.onInput(e.currentTarget.value)}
        onBlur={props.onBlur}
      />
      {props.hint && (
        <p id={`${props.id}-hint`} class="muted field__hint">
          {props.hint}
        </p>
      )}
      {props.error && (
        <p id={`${props.id}-error`} class="field__error">
          {props.error}
        </p>
      )}
    </div>
  );
}

/** The draft of a webhook being edited: entity and catalog choices ticked, anything else typed. */
function draftOf(webhook: Webhook | null, catalogNames: ReadonlySet<string>): WebhookDraft {
  const chosen = (webhook?.events ?? []).filter(
    (e) => catalogNames.has(e) || ENTITY_CHOICES.some(({ entity }) => entityFilter(entity) === e),
  );
  return {
    name: webhook?.name ?? '',
    url: webhook?.url ?? '',
    events: chosen,
    freeEvents: (webhook?.events ?? []).filter((e) => !chosen.includes(e)).join(', '),
    active: webhook ? webhook.status === 'ACTIVE' : true,
    filter: webhook?.filter ?? '',
    timeoutMs: webhook?.timeoutMs ? String(webhook.timeoutMs) : '',
    failureEmail: webhook?.failureEmail ?? '',
  };
}

export function WebhookFormDialog(props: {
  webhook: Webhook | null;
  onClose: () => void;
  onSaved: (webhook: Webhook, created: boolean) => void;
}) {
  const api = useApi();
  const id = useUniqueId();
  const editing = props.webhook;
  const [catalog, setCatalog] = useState<EventType[] | null>(null);
  const [catalogError, setCatalogError] = useState<string | null>(null);
  const [draft, setDraft] = useState<WebhookDraft | null>(null);
  const [contacts, setContacts] = useState<Contact[] | null>(null);
  const [contactId, setContactId] = useState<string>(editing?.technicalContactId ?? '');
  const [touched, setTouched] = useState<Partial<Record<DraftField, boolean>>>({});
  const [serverErrors, setServerErrors] = useState<DraftErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    api
      .call(api.herald.GET('/v1/event-types'))
      // A portal session limited to some event types gets only those from the API.
      .then((page) => {
        setCatalog(page.data);
        setDraft(draftOf(editing, new Set(page.data.map((t) => t.name))));
        // The contacts directory answers API keys only, and matters only under the MindBridge profile.
        if (!api.portal && mindbridgeOn(page.data.map((t) => t.name))) {
          void api
            .call(api.herald.GET('/v1/contacts'))
            .then((list) => setContacts(list.data))
            .catch(() => setContacts([]));
        }
      })
      .catch((error: Error) => {
        setCatalogError(error.message);
        setDraft(draftOf(editing, new Set()));
      });
  }, [api]);

  // The form replaces the loading note inside the open dialog: focus its first field in the same
  // render, before anything can type into the form (after paint, the move took keystrokes aimed at
  // another field to the name).
  const loaded = draft !== null;
  useLayoutEffect(() => {
    if (loaded) document.getElementById(`${id}-name`)?.focus();
  }, [loaded]);

  const rules = catalogRules(catalog);
  const title = editing ? `Edit "${editing.name ?? editing.url}"` : 'New webhook';
  if (!draft) {
    return (
      <Dialog title={title} onClose={props.onClose} wide>
        <p class="muted">Loading the event-type catalog…</p>
      </Dialog>
    );
  }

  const errors = validateDraft(draft, rules);
  const shown = (field: DraftField) => (touched[field] ? errors[field] : undefined) ?? serverErrors[field];
  const update = (field: DraftField, patch: Partial<WebhookDraft>) => {
    setDraft((d) => d && { ...d, ...patch });
    setTouched((t) => ({ ...t, [field]: true }));
    setServerErrors((s) => ({ ...s, [field]: undefined }));
  };
  const blur = (field: DraftField) => () => setTouched((t) => ({ ...t, [field]: true }));
  const toggleEvent = (name: string, checked: boolean) =>
    update('events', { events: checked ? [...draft.events, name] : draft.events.filter((e) => e !== name) });
  const chooseContact = (next: string) => {
    setContactId(next);
    const contact = contacts?.find((c) => c.id === next);
    update('failureEmail', { failureEmail: contact ? contact.email : '' });
  };

  const save = async (event: Event) => {
    event.preventDefault();
    setTouched({ name: true, url: true, events: true, filter: true, timeoutMs: true, failureEmail: true });
    if (!isValid(errors)) return;
    setSaving(true);
    setFormError(null);
    const name = draft.name.trim();
    const body = {
      // Left empty, the API names a new webhook after its URL's host.
      ...(name || editing ? { name: name || new URL(draft.url.trim()).hostname.slice(0, NAME_MAX) } : {}),
      url: draft.url.trim(),
      events: draftEvents(draft),
      active: draft.active,
      filter: draft.filter.trim() || null,
      timeoutMs: draft.timeoutMs?.trim() ? Number(draft.timeoutMs.trim()) : null,
      failureEmail: draft.failureEmail?.trim() || null,
      ...(contacts ? { technicalContactId: contactId || null } : {}),
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

  const filterError = shown('filter');
  return (
    <Dialog title={title} onClose={props.onClose} wide>
      <form onSubmit={save} noValidate>
        <TextField
          id={`${id}-name`}
          label="Webhook name (optional)"
          value={draft.name}
          max={NAME_MAX}
          error={shown('name')}
          placeholder="Production Event Sync"
          autofocus
          onInput={(value) => update('name', { name: value })}
          onBlur={blur('name')}
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
          onBlur={blur('url')}
        />
        <EventsPicker
          id={id}
          catalog={catalog}
          catalogError={catalogError}
          events={draft.events}
          freeEvents={draft.freeEvents ?? ''}
          error={shown('events')}
          onToggle={toggleEvent}
          onFreeEvents={(freeEvents) => update('events', { freeEvents })}
          onBlur={blur('events')}
        />
        {contacts && contacts.length > 0 && (
          <div class="field">
            <label for={`${id}-contact`}>Technical contact</label>
            <select id={`${id}-contact`} value={contactId} onChange={(e) => chooseContact(e.currentTarget.value)}>
              <option value="">Nobody from the contacts directory</option>
              {contacts.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name} ({c.email})
                </option>
              ))}
            </select>
          </div>
        )}
        <TextField
          id={`${id}-failure-email`}
          label="Sidechannel e-mail (optional)"
          type="email"
          value={draft.failureEmail ?? ''}
          max={254}
          error={shown('failureEmail')}
          placeholder="oncall@example.com"
          hint={
            contactId
              ? "The technical contact's e-mail: told when deliveries to this webhook keep failing."
              : 'Told when deliveries to this webhook keep failing.'
          }
          readOnly={Boolean(contactId)}
          onInput={(failureEmail) => update('failureEmail', { failureEmail })}
          onBlur={blur('failureEmail')}
        />
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
          onBlur={blur('timeoutMs')}
        />
        <div class="field">
          <label class="switch">
            <input
              type="checkbox"
              role="switch"
              checked={draft.active}
              onChange={(e) => setDraft((d) => d && { ...d, active: e.currentTarget.checked })}
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
