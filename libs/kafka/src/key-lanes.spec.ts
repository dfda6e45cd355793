import { KeyLanes } from './key-lanes';

describe('KeyLanes', () => {
  it('keeps call order per key even when a run fails: the failed one is retried before the next runs', async () => {
    jest.useFakeTimers();
    try {
      const retried: string[] = [];
      const lanes = new KeyLanes((_error, key) => retried.push(key));
      const order: string[] = [];
      let failures = 2;
      const first = lanes.run('k', async () => {
        if (failures-- > 0) throw new Error('broker restarting');
        order.push('k#1');
      });
      const second = lanes.run('k', async () => void order.push('k#2'));
      const other = lanes.run('other', async () => void order.push('other#1'));
      await other;
      // Another key is not held by k's failures.
      expect(order).toEqual(['other#1']);
      await jest.advanceTimersByTimeAsync(200);
      expect(order).toEqual(['other#1']);
      await jest.advanceTimersByTimeAsync(400);
      await Promise.all([first, second]);
      expect(order).toEqual(['other#1', 'k#1', 'k#2']);
      expect(retried).toEqual(['k', 'k']);
      expect(lanes.size).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  it('gives up on a failing run once stopped, and the key goes on', async () => {
    const lanes = new KeyLanes();
    lanes.stop();
    await expect(
      lanes.run('k', async () => {
        throw new Error('down');
      }),
    ).rejects.toThrow('down');
    await expect(lanes.run('k', async () => 'next')).resolves.toBe('next');
  });
});
