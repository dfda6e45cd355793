// Live validation mirrors the API's bounds; the API stays the authority and its refusals show too.
export const NAME_MAX = 50;
export const URL_MAX = 500;
export const FILTER_MAX = 1000;

export const messages = {
  empty: "This field can't be empty",
  invalidUrl: 'Please enter a valid URL',
  nameTooLong: `Name must be at most ${NAME_MAX} characters`,
  urlTooLong: `URL must be at most ${URL_MAX} characters`,
  credentials: 'The URL must not contain a user name or password',
  noEvents: 'Choose at least one event type',
  filterTooLong: `The filter must be at most ${FILTER_MAX} characters`,
  badTimeout: 'The timeout must be a whole number of milliseconds, at least 100',
  refusedScheme: (scheme: string) => `"${scheme}" URLs are not allowed: use http:// or https://`,
} as const;

export interface WebhookDraft {
  name: string;
  url: string;
  events: string[];
  active: boolean;
  /** CEL expression; empty: no filter. The API checks it and names the problem. */
  filter: string;
  /** Milliseconds as typed; empty: the deployment's timeout. The API checks the upper bound. */
  timeoutMs?: string;
}

export type DraftField = 'name' | 'url' | 'events' | 'filter' | 'timeoutMs';
export type DraftErrors = Partial<Record<DraftField, string>>;

const hostLabel = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;

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

export function nameProblem(raw: string): string | undefined {
  if (!raw.trim()) return messages.empty;
  if (raw.length > NAME_MAX) return messages.nameTooLong;
  return undefined;
}

export function validateDraft(draft: WebhookDraft): DraftErrors {
  const errors: DraftErrors = {};
  const name = nameProblem(draft.name);
  const url = urlProblem(draft.url);
  if (name) errors.name = name;
  if (url) errors.url = url;
  if (draft.events.length === 0) errors.events = messages.noEvents;
  if (draft.filter.length > FILTER_MAX) errors.filter = messages.filterTooLong;
  const timeout = draft.timeoutMs?.trim() ?? '';
  if (timeout && (!/^\d+$/.test(timeout) || Number(timeout) < 100)) errors.timeoutMs = messages.badTimeout;
  return errors;
}

export const isValid = (errors: DraftErrors) => Object.keys(errors).length === 0;

// API refusals name the field first ("url must be …"), so they can sit beside that field.
export function fieldOfServerMessage(message: string): DraftField | undefined {
  const match = /^(name|url|events|entities|filter|timeoutMs)\b/i.exec(message.trim());
  if (!match) return undefined;
  const field = match[1].toLowerCase();
  if (field === 'timeoutms') return 'timeoutMs';
  return field === 'entities' ? 'events' : (field as DraftField);
}
