import type { Logger } from 'pino';
import { CompactedTopicView } from './compacted-view';
import type { KafkaClient } from './kafka-client';

/** A client whose watermark requests are counted and answered when the test says so. */
function fakeClient() {
  const pending: ((targets: Map<number, bigint>) => void)[] = [];
  const client = {
    highWatermarks: () => new Promise<Map<number, bigint>>((resolve) => pending.push(resolve)),
  } as unknown as KafkaClient;
  return { client, pending };
}

describe('CompactedTopicView.catchUpCoalesced', () => {
  it('lets concurrent callers share one catch-up, and starts a new one once that has ended', async () => {
    const { client, pending } = fakeClient();
    const view = new CompactedTopicView(client, { topic: 't', groupBase: 'g', parse: (v) => v }, {} as Logger);
    const first = view.catchUpCoalesced();
    const second = view.catchUpCoalesced();
    expect(second).toBe(first);
    expect(pending).toHaveLength(1); // one watermark request for both
    pending[0](new Map()); // an empty topic: nothing to wait for
    await Promise.all([first, second]);

    const third = view.catchUpCoalesced();
    expect(third).not.toBe(first);
    expect(pending).toHaveLength(2);
    pending[1](new Map());
    await third;
  });

  it('shares a failure with every caller of the pass, then tries again on the next call', async () => {
    const client = {
      highWatermarks: jest.fn().mockRejectedValueOnce(new Error('broker down')).mockResolvedValue(new Map()),
    } as unknown as KafkaClient;
    const view = new CompactedTopicView(client, { topic: 't', groupBase: 'g', parse: (v) => v }, {} as Logger);
    const results = await Promise.allSettled([view.catchUpCoalesced(), view.catchUpCoalesced()]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    await expect(view.catchUpCoalesced()).resolves.toBeUndefined();
    expect(client.highWatermarks).toHaveBeenCalledTimes(2);
  });
});

describe('CompactedTopicView.catchUpSince', () => {
  it('reuses a pass sent after the fetch in hand, and asks again for a later fetch', async () => {
    const { client, pending } = fakeClient();
    const view = new CompactedTopicView(client, { topic: 't', groupBase: 'g', parse: (v) => v }, {} as Logger);
    const fetchedAt = Date.now();
    const first = view.catchUpSince(fetchedAt);
    // Another batch of the same fetch: the pass went out after that fetch returned.
    expect(view.catchUpSince(fetchedAt)).toBe(first);
    expect(pending).toHaveLength(1);
    pending[0](new Map());
    await first;
    // Still covered once it has ended.
    await view.catchUpSince(fetchedAt);
    expect(pending).toHaveLength(1);

    // A fetch that returned after the pass went out may carry events newer than its watermarks.
    const later = view.catchUpSince(Date.now() + 1);
    expect(pending).toHaveLength(2);
    pending[1](new Map());
    await later;
  });

  it('does not reuse a failed pass', async () => {
    const client = {
      highWatermarks: jest.fn().mockRejectedValueOnce(new Error('broker down')).mockResolvedValue(new Map()),
    } as unknown as KafkaClient;
    const view = new CompactedTopicView(client, { topic: 't', groupBase: 'g', parse: (v) => v }, {} as Logger);
    const fetchedAt = Date.now();
    await expect(view.catchUpSince(fetchedAt)).rejects.toThrow('broker down');
    await expect(view.catchUpSince(fetchedAt)).resolves.toBeUndefined();
    expect(client.highWatermarks).toHaveBeenCalledTimes(2);
  });
});
