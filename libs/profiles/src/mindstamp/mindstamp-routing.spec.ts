import { FilterableEvent, compileEventFilter } from '@herald/event-filter';
import { mindstampRoutesOf, mindstampTargetOf } from './mindstamp-routing';

const account = { view: 'https://a.example.com/view', lead: 'https://a.example.com/lead' };
const eventFor = (eventType: string, videoId: string) =>
  new FilterableEvent({
    eventId: 'e',
    eventType,
    tenantId: 't',
    occurredAt: '2026-12-03T00:00:00.000Z',
    source: 'test',
    schemaVersion: 1,
    data: { videoId },
  } as never);

describe('Mindstamp routing', () => {
  it('sends an opted-in video to its override, else the account URL, and never an opted-out one', () => {
    const videos = [
      { videoId: 'v1', kinds: { view: { enabled: true, url: null } } },
      { videoId: 'v2', kinds: { view: { enabled: true, url: 'https://o.example.com/v2' } } },
      { videoId: 'v3', kinds: { view: { enabled: false, url: null }, interaction: { enabled: true, url: null } } },
    ];
    const routes = mindstampRoutesOf(account, videos);
    expect(routes.map(({ kind, url, videoIds }) => ({ kind, url, videoIds }))).toEqual([
      { kind: 'view', url: 'https://a.example.com/view', videoIds: ['v1'] },
      { kind: 'view', url: 'https://o.example.com/v2', videoIds: ['v2'] },
    ]);
    // interaction: opted in, but no URL at either level.
    expect(mindstampTargetOf('interaction', videos[2].kinds, account)).toBeNull();
    const filter = compileEventFilter(routes[0].filter);
    expect(filter.matches(eventFor('view', 'v1'))).toBe(true);
    expect(filter.matches(eventFor('view', 'v3'))).toBe(false);
  });

  it('splits a long video list into filters within the filter bounds, each video in exactly one', () => {
    const ids = Array.from({ length: 300 }, (_, i) => `video-${String(i).padStart(4, '0')}-${'x'.repeat(i % 40)}`);
    const routes = mindstampRoutesOf(
      account,
      ids.map((videoId) => ({ videoId, kinds: { lead: { enabled: true, url: null } } })),
    );
    expect(routes.length).toBeGreaterThan(3);
    expect(routes.flatMap((r) => r.videoIds).sort()).toEqual([...ids].sort());
    expect(routes.map((r) => r.part)).toEqual(routes.map((_, i) => i));
    for (const route of routes) {
      const filter = compileEventFilter(route.filter);
      expect(filter.matches(eventFor('lead', route.videoIds[route.videoIds.length - 1]))).toBe(true);
    }
  });
});
