import { randomBytes } from 'node:crypto';
import { murmur2 } from './murmur2';
import { keyedPartitioner } from './coalescing-producer';

// kafkajs's own implementation: partitions must not move when the hash changes hands.
const kafkajsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2') as (key: Buffer | string) => number;

describe('murmur2', () => {
  it("gives Kafka's values (the Java client's UtilsTest vectors)", () => {
    const cases: [string, number][] = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      ['abc', 479470107],
    ];
    for (const [key, hash] of cases) expect([key, murmur2(key)]).toEqual([key, hash]);
  });

  it('agrees with kafkajs for buffers and strings of every tail length, empty and multi-byte included', () => {
    const keys: (Buffer | string)[] = ['', 'é', 'tenant_01|order-7', '日本語のキー'];
    for (let i = 0; i < 3000; i++) keys.push(randomBytes(i % 67));
    for (let i = 0; i < 500; i++) keys.push(`ten_${randomBytes(8).toString('hex')}|${'ü'.repeat(i % 5)}`);
    const differing = keys.filter((key) => murmur2(key) !== kafkajsMurmur2(key));
    expect(differing).toEqual([]);
  });

  it("the producer's partitioner picks kafkajs's partition for every key", () => {
    const partitionMetadata = [0, 1, 2, 3, 4, 5].map((partitionId) => ({
      partitionId,
      leader: 1,
      partitionErrorCode: 0,
      replicas: [1],
      isr: [1],
    }));
    const { Partitioners } = require('kafkajs') as typeof import('kafkajs');
    const theirs = Partitioners.DefaultPartitioner();
    const ours = keyedPartitioner();
    for (let i = 0; i < 2000; i++) {
      const message = { key: `tenant_${i}`, value: 'x' };
      expect(ours({ topic: 't', partitionMetadata, message })).toBe(theirs({ topic: 't', partitionMetadata, message }));
    }
    // An explicit partition wins, as in kafkajs.
    expect(ours({ topic: 't', partitionMetadata, message: { key: 'k', value: 'x', partition: 4 } })).toBe(4);
  });
});
