// Live validation mirrors the API's bounds; the API stays the authority and its refusals show too.
export const NAME_MAX = 50;
export const URL_MAX = 500;
export const FILTER_MAX = 1000;
export const EVENTS_MAX = 100;

export const messages = {
  empty: "This field can't be empty",
  invalidUrl: 'Please enter a valid URL',
  nameTooLong: `Name must be at most ${NAME_MAX} characters`,
  urlTooLong: `URL must be at most ${URL_MAX} characters`,
  credentials: 'The URL must not contain a user name or password',
  noEvents: 'Choose at least one event type, or type an event name or wildcard',
  tooManyEvents: `At most ${EVENTS_MAX} event types or wildcards`,
  filterTooLong: `The filter must be at most ${FILTER_MAX} characters`,
  badTimeout: 'The timeout must be a whole number of milliseconds, at least 100',
  badEmail: 'Please enter a valid e-mail address (name@example.com)',
  refusedScheme: (scheme: string) => `"${scheme}" URLs are not allowed: use http:// or https://`,
  badEventName: (name: string) =>
    `"${name}" is not an event name: use 1-128 letters, digits, ".", "_", ":" or "-" starting with a letter or digit, a wildcard such as order.*, or *`,
  unknownEvent: (name: string) => `"${name}" is not in the event-type catalog`,
  deprecatedEvent: (name: string) => `"${name}" is deprecated and cannot be subscribed to`,
  wildcardMatchesNothing: (name: string) => `"${name}" matches no event type in the catalog`,
} as const;

export interface WebhookDraft {
  name: string;
  url: string;
  /** Chosen from the catalog (or entity checkboxes, as `agent.*`). */
  events: string[];
  /** Free event names and wildcards as typed, separated by commas, spaces or new lines. */
  freeEvents?: string;
  active: boolean;
  /** CEL expression; empty: no filter. The API checks it and names the problem. */
  filter: string;
  /** Milliseconds as typed; empty: the deployment's timeout. The API checks the upper bound. */
  timeoutMs?: string;
  /** The sidechannel e-mail told when deliveries fail; empty: none. */
  failureEmail?: string;
}

export type DraftField = 'name' | 'url' | 'events' | 'filter' | 'timeoutMs' | 'failureEmail';
export type DraftErrors = Partial<Record<DraftField, string>>;

/** The catalog as the API checks a subscription against it; empty: any well-formed name is taken. */
export interface CatalogRules {
  current: readonly string[];
  deprecated: readonly string[];
}

const hostLabel = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;
// The API's patterns: eventTypeSchema (libs/contracts) and the prefix wildcard of webhook.dto.ts.
const eventNamePattern = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;
const wildcardPattern = /^[A-Za-z0-9_:-]+(\.[A-Za-z0-9_:-]+)*\.\*$/;
// Close to the API's z.email(): one @, no spaces, a dotted domain.
const emailPattern =
  /^[A-Za-z0-9._%+'-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

/** Why a URL is refused, or undefined when it is acceptable. */
export function urlProblem(raw: string): string | undefined {
  const value = raw.trim();
  if (!value) return messages.empty;
  if (raw.length > URL_MAX) return messages.urlTooLong;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    return messages.invalidUrl;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return messages.refusedScheme(parsed.protocol);
  if (parsed.username || parsed.password) return messages.credentials;
  const host = parsed.hostname.replace(/\.$/, '');
  const isIpv6 = host.startsWith('[') && host.endsWith(']');
  if (!host || (!isIpv6 && !host.split('.').every((label) => hostLabel.test(label)))) return messages.invalidUrl;
  return undefined;
}

/** The name is optional (the API names the webhook after the URL's host); only its length is bounded. */
export function nameProblem(raw: string): string | undefined {
  if (raw.trim().length > NAME_MAX) return messages.nameTooLong;
  return undefined;
}

export function emailProblem(raw: string): string | undefined {
  const value = raw.trim();
  if (value && !emailPattern.test(value)) return messages.badEmail;
  return undefined;
}

/** `order.*` matches `order.created` and `order.line.added`, as the API matches. */
export const eventMatches = (filter: string, name: string) =>
  filter === '*' || filter === name || (filter.endsWith('.*') && name.startsWith(filter.slice(0, -1)));

/** Why one event filter is refused, or undefined; with an empty catalog any well-formed name is taken. */
export function eventProblem(
  filter: string,
  catalog: CatalogRules = { current: [], deprecated: [] },
): string | undefined {
  if (filter === '*') return undefined;
  const wildcard = filter.endsWith('.*');
  if (wildcard ? !wildcardPattern.test(filter) : !eventNamePattern.test(filter)) return messages.badEventName(filter);
  if (catalog.current.length === 0 && catalog.deprecated.length === 0) return undefined;
  if (wildcard) {
    return catalog.current.some((name) => eventMatches(filter, name))
      ? undefined
      : messages.wildcardMatchesNothing(filter);
  }
  if (catalog.deprecated.includes(filter)) return messages.deprecatedEvent(filter);
  return catalog.current.includes(filter) ? undefined : messages.unknownEvent(filter);
}

/** Typed names split on commas or new lines (a space inside a name is reported, not split on). */
export const parseFreeEvents = (text: string | undefined) =>
  (text ?? '')
    .split(/[,\n]+/)
    .map((s) => s.trim())
    .filter(Boolean);

/** Every filter the webhook subscribes to: the chosen ones, then the typed ones, without repeats. */
export const draftEvents = (draft: Pick<WebhookDraft, 'events' | 'freeEvents'>) => [
  ...new Set([...draft.events, ...parseFreeEvents(draft.freeEvents)]),
];

export function validateDraft(draft: WebhookDraft, catalog?: CatalogRules): DraftErrors {
  const errors: DraftErrors = {};
  const name = nameProblem(draft.name);
  const url = urlProblem(draft.url);
  if (name) errors.name = name;
  if (url) errors.url = url;
  const events = draftEvents(draft);
  if (events.length === 0) errors.events = messages.noEvents;
  else if (events.length > EVENTS_MAX) errors.events = messages.tooManyEvents;
  else {
    const problem = events.map((e) => eventProblem(e, catalog)).find(Boolean);
    if (problem) errors.events = problem;
  }
  if (draft.filter.length > FILTER_MAX) errors.filter = messages.filterTooLong;
  const timeout = draft.timeoutMs?.trim() ?? '';
  if (timeout && (!/^\d+$/.test(timeout) || Number(timeout) < 100)) errors.timeoutMs = messages.badTimeout;
  const email = emailProblem(draft.failureEmail ?? '');
  if (email) errors.failureEmail = email;
  return errors;
}

export const isValid = (errors: DraftErrors) => Object.keys(errors).length === 0;

// API refusals name the field first ("url must be …"), so they can sit beside that field.
export function fieldOfServerMessage(message: string): DraftField | undefined {
  const match = /^(name|url|events|entities|filter|timeoutMs|failureEmail|technicalContactId)\b/i.exec(message.trim());
  if (!match) return undefined;
  const field = match[1].toLowerCase();
  if (field === 'timeoutms') return 'timeoutMs';
  if (field === 'failureemail' || field === 'technicalcontactid') return 'failureEmail';
  return field === 'entities' ? 'events' : (field as DraftField);
}
