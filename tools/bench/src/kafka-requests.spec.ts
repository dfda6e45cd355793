import { requestLines, requestsPerEvent, type RequestSnapshot } from './kafka-requests';

const file = (at: number, total: Record<string, number>, groups: Record<string, Record<string, number>> = {}) => ({
  service: 'matcher',
  pid: 7,
  at,
  total,
  groups,
});

describe('requestsPerEvent', () => {
  it('divides each API and group count by the events of the files own window', () => {
    const before: RequestSnapshot = new Map([['matcher-7.json', file(1000, { Fetch: 10, OffsetCommit: 4 })]]);
    const after: RequestSnapshot = new Map([
      ['matcher-7.json', file(11000, { Fetch: 110, OffsetCommit: 54 }, { 'herald-matcher': { OffsetCommit: 50 } })],
      // A service that started inside the window has no "before": left out, not counted from zero.
      ['deliverer-9.json', { ...file(11000, { Fetch: 5 }), service: 'deliverer', pid: 9 }],
    ]);
    const [matcher, ...rest] = requestsPerEvent(before, after, 10);
    expect(rest).toEqual([]);
    // 10 s at 10 events/s = 100 events.
    expect(matcher).toEqual({
      service: 'matcher',
      perEvent: 1.5,
      apis: { Fetch: 1, OffsetCommit: 0.5 },
      groups: { 'herald-matcher': { OffsetCommit: 0.5 } },
    });
    expect(requestLines([matcher])).toEqual([
      '  Kafka requests per event: 1.5 (all services)',
      '    matcher 1.5: Fetch 1, OffsetCommit 0.5',
      '      herald-matcher: OffsetCommit 0.5',
    ]);
  });
});
