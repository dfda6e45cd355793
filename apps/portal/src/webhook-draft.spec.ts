import {
  draftEvents,
  emailProblem,
  eventProblem,
  fieldOfServerMessage,
  isValid,
  messages,
  nameProblem,
  urlProblem,
  validateDraft,
} from './webhook-draft';

describe('webhook draft validation', () => {
  it('accepts http and https URLs with a host name or address', () => {
    for (const url of [
      'https://example.com/hooks',
      'http://127.0.0.1:8080/in',
      'https://a-b.example.co.uk/x?y=1',
      'http://[::1]:9/x',
    ]) {
      expect(urlProblem(url)).toBeUndefined();
    }
  });

  it('names an empty field, a malformed URL and a refused scheme differently', () => {
    expect(urlProblem('   ')).toBe(messages.empty);
    expect(urlProblem('example.com/hooks')).toBe(messages.invalidUrl);
    expect(urlProblem('https://exa mple.com')).toBe(messages.invalidUrl);
    expect(urlProblem('https://-bad-.example.com')).toBe(messages.invalidUrl);
    expect(urlProblem('javascript:alert(1)')).toBe('"javascript:" URLs are not allowed: use http:// or https://');
    expect(urlProblem('data:text/html,hi')).toContain('"data:"');
    expect(urlProblem('file:///etc/passwd')).toContain('"file:"');
    expect(urlProblem('https://user:pw@example.com')).toBe(messages.credentials);
  });

  it('takes no name (it is optional) and bounds it at 50, the URL at 500 characters', () => {
    expect(nameProblem('x'.repeat(50))).toBeUndefined();
    expect(nameProblem('x'.repeat(51))).toBe(messages.nameTooLong);
    expect(nameProblem('')).toBeUndefined();
    expect(nameProblem('   ')).toBeUndefined();
    const base = 'https://example.com/';
    expect(urlProblem(base + 'a'.repeat(500 - base.length))).toBeUndefined();
    expect(urlProblem(base + 'a'.repeat(501 - base.length))).toBe(messages.urlTooLong);
  });

  it('requires at least one event type, and is valid when every field is', () => {
    const draft = { name: 'Production Event Sync', url: 'https://example.com', events: [], active: true, filter: '' };
    expect(validateDraft(draft)).toEqual({ events: messages.noEvents });
    expect(validateDraft({ ...draft, freeEvents: ' , ' })).toEqual({ events: messages.noEvents });
    expect(isValid(validateDraft({ ...draft, events: ['agent.created'] }))).toBe(true);
    expect(isValid(validateDraft({ ...draft, name: '', freeEvents: 'order.*' }))).toBe(true);
  });

  it('maps API refusals to the field they name', () => {
    expect(fieldOfServerMessage('url scheme "ftp:" is not allowed')).toBe('url');
    expect(fieldOfServerMessage('name must be at most 50 characters')).toBe('name');
    expect(fieldOfServerMessage('entities must be lower-case entity names')).toBe('events');
    expect(fieldOfServerMessage('Webhook limit reached')).toBeUndefined();
  });
});

describe('payload filter in the draft', () => {
  const draft = { name: 'n', url: 'https://example.com/h', events: ['*'], active: true, filter: '' };

  it('bounds the filter at 1000 characters and puts API refusals about it beside the field', () => {
    expect(validateDraft({ ...draft, filter: 'x'.repeat(1000) })).toEqual({});
    expect(validateDraft({ ...draft, filter: 'x'.repeat(1001) })).toEqual({ filter: messages.filterTooLong });
    expect(fieldOfServerMessage('filter does not type-check: No such key: amount')).toBe('filter');
  });
});

describe('timeout in the draft', () => {
  const draft = { name: 'n', url: 'https://example.com/h', events: ['*'], active: true, filter: '' };

  it('takes empty or whole milliseconds from 100, and puts API refusals about it beside the field', () => {
    expect(validateDraft({ ...draft, timeoutMs: '' })).toEqual({});
    expect(validateDraft({ ...draft, timeoutMs: '1500' })).toEqual({});
    expect(validateDraft({ ...draft, timeoutMs: '99' })).toEqual({ timeoutMs: messages.badTimeout });
    expect(validateDraft({ ...draft, timeoutMs: '1.5' })).toEqual({ timeoutMs: messages.badTimeout });
    expect(fieldOfServerMessage("timeoutMs must be at most 5000 (ms), the deployment's delivery timeout")).toBe(
      'timeoutMs',
    );
  });
});

describe('events as free names and wildcards', () => {
  const draft = { name: '', url: 'https://example.com/h', events: [], active: true, filter: '' };
  const catalog = { current: ['order.created', 'order.line.added', 'invoice.paid'], deprecated: ['order.legacy'] };

  it('takes names, prefix wildcards and * on an empty catalog, as the API does', () => {
    for (const name of ['order.created', 'ORDER_CREATED', 'a', 'billing:v2.paid', 'order.*', 'order.line.*', '*']) {
      expect(eventProblem(name)).toBeUndefined();
    }
    expect(eventProblem('x'.repeat(128))).toBeUndefined();
  });

  it('names each malformed entry', () => {
    for (const name of ['order created', '.order', 'order*', '*.created', 'order.*.x', 'x'.repeat(129), 'ordér']) {
      expect(eventProblem(name)).toBe(messages.badEventName(name));
    }
  });

  it('checks names against a non-empty catalog: unknown, deprecated, and wildcards that match nothing', () => {
    expect(eventProblem('order.created', catalog)).toBeUndefined();
    expect(eventProblem('order.*', catalog)).toBeUndefined();
    expect(eventProblem('order.line.*', catalog)).toBeUndefined();
    expect(eventProblem('*', catalog)).toBeUndefined();
    expect(eventProblem('order.shipped', catalog)).toBe(messages.unknownEvent('order.shipped'));
    expect(eventProblem('order.legacy', catalog)).toBe(messages.deprecatedEvent('order.legacy'));
    expect(eventProblem('refund.*', catalog)).toBe(messages.wildcardMatchesNothing('refund.*'));
  });

  it('splits typed text on commas and new lines, merges it with the ticked ones and reports the first problem', () => {
    const typed = { ...draft, events: ['agent.*'], freeEvents: 'order.*,  invoice.paid\nagent.*' };
    expect(draftEvents(typed)).toEqual(['agent.*', 'order.*', 'invoice.paid']);
    expect(validateDraft(typed)).toEqual({});
    expect(validateDraft({ ...draft, freeEvents: 'order.*, bad name' })).toEqual({
      events: messages.badEventName('bad name'),
    });
    expect(validateDraft({ ...draft, freeEvents: 'order.created, refund.*' }, catalog)).toEqual({
      events: messages.wildcardMatchesNothing('refund.*'),
    });
    const many = Array.from({ length: 101 }, (_, i) => `e${i}`).join(',');
    expect(validateDraft({ ...draft, freeEvents: many })).toEqual({ events: messages.tooManyEvents });
  });
});

describe('sidechannel e-mail in the draft', () => {
  const draft = { name: '', url: 'https://example.com/h', events: ['*'], active: true, filter: '' };

  it('is optional, must look like an address when given, and API refusals about it sit beside it', () => {
    expect(emailProblem('')).toBeUndefined();
    expect(emailProblem('oncall@example.com')).toBeUndefined();
    expect(emailProblem('first.last+hooks@mail.example.co.uk')).toBeUndefined();
    for (const bad of ['oncall', 'oncall@', '@example.com', 'on call@example.com', 'oncall@example']) {
      expect(emailProblem(bad)).toBe(messages.badEmail);
    }
    expect(validateDraft({ ...draft, failureEmail: 'nope' })).toEqual({ failureEmail: messages.badEmail });
    expect(fieldOfServerMessage('failureEmail must be an email address')).toBe('failureEmail');
    expect(fieldOfServerMessage('technicalContactId: "x" is not in this tenant\'s contacts directory')).toBe(
      'failureEmail',
    );
  });
});
