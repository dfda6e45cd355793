import pino from 'pino';
import { attemptIsFinal } from '@herald/contracts';
import { DoneDeliveries, type DoneDeliveriesDeps } from './done-deliveries';

const logger = pino({ level: 'silent' });

function reader(done: string[] = []) {
  const calls: { partitions: number[]; since: number }[] = [];
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const readTail: DoneDeliveriesDeps['readTail'] = async (partitions, since) => {
    calls.push({ partitions, since });
    await gate;
    return { done, records: done.length, complete: true };
  };
  return { calls, release, readTail };
}

describe('DoneDeliveries', () => {
  it('holds sends from newly assigned partitions until their final attempts are read back', async () => {
    const tail = reader(['dlv_a', 'dlv_b']);
    const done = new DoneDeliveries({ windowMs: 60_000 }, { readTail: tail.readTail, logger, now: () => 100_000 });
    const assigned = done.assigned('deliveries', [0, 2]);
    expect(tail.calls).toEqual([{ partitions: [0, 2], since: 40_000 }]);
    expect(done.ready(0)).not.toBeNull();
    expect(done.ready(1)).toBeNull();
    expect(done.has('dlv_a')).toBe(false);
    tail.release();
    await assigned;
    expect(done.has('dlv_a')).toBe(true);
    expect(done.has('dlv_b')).toBe(true);
    expect(done.ready(0)).toBeNull();
  });

  it('reads only partitions a group did not have; another group reads its own', async () => {
    const tail = reader();
    tail.release();
    const done = new DoneDeliveries({ windowMs: 1000 }, { readTail: tail.readTail, logger });
    await done.assigned('deliveries', [0, 1]);
    await done.assigned('deliveries', [1, 2]);
    await done.assigned('retries', [1]);
    await done.assigned('deliveries', [0, 1, 2]);
    expect(tail.calls.map((c) => c.partitions)).toEqual([[0, 1], [2], [1], [0]]);
  });

  it('a read under way for one group serves the other group too', async () => {
    const tail = reader(['dlv_a']);
    const done = new DoneDeliveries({ windowMs: 1000 }, { readTail: tail.readTail, logger });
    const deliveries = done.assigned('deliveries', [0, 1]);
    const retries = done.assigned('retries', [1, 2]);
    expect(tail.calls.map((c) => c.partitions)).toEqual([[0, 1], [2]]);
    tail.release();
    await Promise.all([deliveries, retries]);
    expect([done.ready(0), done.ready(1), done.ready(2)]).toEqual([null, null, null]);
    expect(done.has('dlv_a')).toBe(true);
  });

  it('goes on without skipping when the read fails', async () => {
    const warn = jest.fn();
    const done = new DoneDeliveries(
      { windowMs: 1000 },
      {
        readTail: () => Promise.reject(new Error('broker gone')),
        logger: { ...logger, warn, info: () => undefined } as unknown as typeof logger,
      },
    );
    await expect(done.assigned('deliveries', [0])).resolves.toBeUndefined();
    expect(done.ready(0)).toBeNull();
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('keeps what a read cut short by its timeout found, and says so', async () => {
    const warn = jest.fn();
    const done = new DoneDeliveries(
      { windowMs: 1000 },
      {
        readTail: async () => ({ done: ['dlv_a'], records: 1, complete: false }),
        logger: { ...logger, warn, info: () => undefined } as unknown as typeof logger,
      },
    );
    await done.assigned('deliveries', [0]);
    expect(done.has('dlv_a')).toBe(true);
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ done: 1 }), expect.stringContaining('in part'));
  });

  it('forgets the oldest ids beyond its capacity', () => {
    const done = new DoneDeliveries({ windowMs: 1000, capacity: 2 }, { readTail: reader().readTail, logger });
    done.add('dlv_1');
    done.add('dlv_2');
    done.add('dlv_1');
    done.add('dlv_3');
    expect([done.has('dlv_1'), done.has('dlv_2'), done.has('dlv_3')]).toEqual([true, false, true]);
    expect(done.size).toBe(2);
  });

  it('window 0: nothing is read or remembered', async () => {
    const tail = reader(['dlv_a']);
    const done = new DoneDeliveries({ windowMs: 0 }, { readTail: tail.readTail, logger });
    await done.assigned('deliveries', [0]);
    done.add('dlv_b');
    expect(tail.calls).toEqual([]);
    expect(done.has('dlv_b')).toBe(false);
  });
});

describe('attemptIsFinal', () => {
  it('is final when no retry is scheduled', () => {
    expect(attemptIsFinal({ nextAttemptAt: null })).toBe(true);
    expect(attemptIsFinal({ nextAttemptAt: '2026-12-03T15:00:00.000Z' })).toBe(false);
    expect(attemptIsFinal({})).toBe(false);
  });
});
