import { BatchWriter } from './batch-writer';

describe('BatchWriter', () => {
  it('writes concurrent items together and resolves each caller after the write', async () => {
    const writes: number[][] = [];
    const writer = new BatchWriter<number>(
      async (items) => {
        writes.push(items);
      },
      100,
      5,
    );
    await Promise.all([1, 2, 3].map((n) => writer.add(n)));
    expect(writes).toEqual([[1, 2, 3]]);
  });

  it('flushes at the size bound and rejects every caller of a failed batch', async () => {
    const writer = new BatchWriter<number>(
      async (items) => {
        if (items.includes(3)) throw new Error('db down');
      },
      2,
      1000,
    );
    const first = writer.add(1);
    const second = writer.add(2);
    await expect(Promise.all([first, second])).resolves.toBeDefined();
    const third = writer.add(3);
    const fourth = writer.add(4);
    await expect(third).rejects.toThrow('db down');
    await expect(fourth).rejects.toThrow('db down');
  });
});
