import { duration, percent, prettyBody, relativeTime, utcTime } from './format';

describe('portal formatting', () => {
  const now = Date.parse('2026-11-23T10:00:00Z');

  it('says how long ago something happened', () => {
    expect(relativeTime(null, now)).toBe('never');
    expect(relativeTime('2026-11-23T09:59:58Z', now)).toBe('just now');
    expect(relativeTime('2026-11-23T09:59:00Z', now)).toBe('1 minute ago');
    expect(relativeTime('2026-11-23T07:00:00Z', now)).toBe('3 hours ago');
    expect(relativeTime('2026-11-21T10:00:00Z', now)).toBe('2 days ago');
  });

  it('formats times, durations, rates and bodies', () => {
    expect(utcTime('2026-11-23T10:04:05.123Z')).toBe('2026-11-23 10:04:05 UTC');
    expect(duration(85.4)).toBe('85 ms');
    expect(duration(1290)).toBe('1.3 s');
    expect(percent(0.9734)).toBe('97.3%');
    expect(percent(1)).toBe('100%');
    expect(prettyBody('{"a":1}')).toBe('{\n  "a": 1\n}');
    expect(prettyBody('not json')).toBe('not json');
    expect(prettyBody(null)).toBe('(not kept: the event is no longer stored)');
  });
});
