/** The events of a webhook: Mindset entity checkboxes, the catalog's event types, free names and wildcards. */
import type { ComponentChildren } from 'preact';
import type { EventType } from './api-types';
import { entityChoicesOf, entityFilter } from './seed-profiles';
import type { CatalogRules } from './webhook-draft';

/** The catalog as the API checks subscriptions against it. */
export const catalogRules = (catalog: EventType[] | null): CatalogRules => ({
  current: (catalog ?? []).filter((t) => !t.deprecated).map((t) => t.name),
  deprecated: (catalog ?? []).filter((t) => t.deprecated).map((t) => t.name),
});

export function EventsPicker(props: {
  id: string;
  catalog: EventType[] | null;
  catalogError: string | null;
  events: string[];
  freeEvents: string;
  error: string | undefined;
  onToggle: (filter: string, checked: boolean) => void;
  onFreeEvents: (text: string) => void;
  onBlur: () => void;
}) {
  const { error } = props;
  const rules = catalogRules(props.catalog);
  const entities = entityChoicesOf(rules.current);
  // Events an entity checkbox covers are not listed again one by one.
  const listed = (props.catalog ?? []).filter(
    (t) => !t.deprecated && !entities.some(({ entity }) => t.name.startsWith(`${entity}.`)),
  );
  const check = (name: string, label: ComponentChildren) => (
    <li key={name}>
      <label class="check">
        <input
          type="checkbox"
          checked={props.events.includes(name)}
          onChange={(e) => props.onToggle(name, e.currentTarget.checked)}
        />
        <span>{label}</span>
      </label>
    </li>
  );
  return (
    <fieldset class="field events-picker" aria-describedby={error ? `${props.id}-events-error` : undefined}>
      <legend>Events</legend>
      {props.catalogError && (
        <p class="field__error">The event-type catalog could not be loaded: {props.catalogError}</p>
      )}
      {entities.length > 0 && (
        <div class="events-picker__group" role="group" aria-labelledby={`${props.id}-entities`}>
          <h3 id={`${props.id}-entities`}>Entity types</h3>
          <ul class="events-picker__list">
            {entities.map(({ entity, label, hint }) =>
              check(
                entityFilter(entity),
                <>
                  {label}
                  <span class="muted"> — notified when {hint}</span>
                </>,
              ),
            )}
          </ul>
        </div>
      )}
      {listed.length > 0 && (
        <div class="events-picker__group" role="group" aria-labelledby={`${props.id}-catalog`}>
          <h3 id={`${props.id}-catalog`}>Event types</h3>
          <ul class="events-picker__list">
            {listed.map((t) =>
              check(
                t.name,
                <>
                  <code>{t.name}</code>
                  {t.description && <span class="muted"> — {t.description}</span>}
                </>,
              ),
            )}
          </ul>
        </div>
      )}
      <div class="field">
        <label for={`${props.id}-free-events`}>
          {entities.length + listed.length > 0 ? 'Other event names or wildcards' : 'Event names or wildcards'}
        </label>
        <input
          id={`${props.id}-free-events`}
          type="text"
          value={props.freeEvents}
          placeholder="order.created, order.*"
          autocomplete="off"
          spellcheck={false}
          aria-invalid={error ? 'true' : 'false'}
          aria-describedby={`${props.id}-free-events-hint${error ? ` ${props.id}-events-error` : ''}`}
          onInput={(e) => props.onFreeEvents(e.currentTarget.value)}
          onBlur={props.onBlur}
        />
        <p id={`${props.id}-free-events-hint`} class="muted field__hint">
          Separate with commas. <code>order.*</code> matches every event whose name starts with <code>order.</code>;{' '}
          <code>*</code> matches every event.
          {rules.current.length === 0 && ' The event-type catalog is empty, so any well-formed name is accepted.'}
        </p>
      </div>
      {error && (
        <p id={`${props.id}-events-error`} class="field__error">
          {error}
        </p>
      )}
    </fieldset>
  );
}
