import { fieldOfServerMessage, isValid, messages, nameProblem, urlProblem, validateDraft } from './webhook-draft';

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

  it('bounds the name at 50 and the URL at 500 characters', () => {
    expect(nameProblem('x'.repeat(50))).toBeUndefined();
    expect(nameProblem('x'.repeat(51))).toBe(messages.nameTooLong);
    expect(nameProblem('')).toBe(messages.empty);
    const base = 'https://example.com/';
    expect(urlProblem(base + 'a'.repeat(500 - base.length))).toBeUndefined();
    expect(urlProblem(base + 'a'.repeat(501 - base.length))).toBe(messages.urlTooLong);
  });

  it('requires at least one event type, and is valid when every field is', () => {
    const draft = { name: 'Production Event Sync', url: 'https://example.com', events: [], active: true, filter: '' };
    expect(validateDraft(draft)).toEqual({ events: messages.noEvents });
    expect(isValid(validateDraft({ ...draft, events: ['agent.created'] }))).toBe(true);
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
