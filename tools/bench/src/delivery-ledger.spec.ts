import { confirmDeliveries, DeliveryLedger, fnv1a32, PairChecksum } from './delivery-ledger';

describe('delivery ledger', () => {
  it('hashes with FNV-1a (32 bits)', () => {
    // Reference values of the FNV-1a 32-bit function.
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('counts each (event, webhook) pair once and duplicates apart', () => {
    const ledger = new DeliveryLedger();
    expect(ledger.record('e1', 'w1')).toBe(true);
    expect(ledger.record('e1', 'w2')).toBe(true);
    expect(ledger.record('e1', 'w1')).toBe(false);
    expect(ledger.summary()).toMatchObject({ unique: 2, received: 3, duplicates: 1 });
  });

  it('confirms when the same pairs arrived in any order', () => {
    const sent = new PairChecksum();
    const ledger = new DeliveryLedger();
    const pairs = Array.from({ length: 100 }, (_, i) => [`p1-${i}`, `w${i % 7}`] as const);
    for (const [e, w] of pairs) sent.add(e, w);
    for (const [e, w] of [...pairs].reverse()) ledger.record(e, w);
    ledger.record('p1-3', 'w3');
    expect(confirmDeliveries(sent, ledger.summary())).toEqual({
      expected: 100,
      confirmed: true,
      lost: 0,
      duplicates: 1,
    });
  });

  it('refuses a missing pair, and a wrong pair with the right count', () => {
    const sent = new PairChecksum();
    sent.add('e1', 'w1');
    sent.add('e2', 'w1');
    const missing = new DeliveryLedger();
    missing.record('e1', 'w1');
    expect(confirmDeliveries(sent, missing.summary())).toMatchObject({ confirmed: false, lost: 1 });
    const swapped = new DeliveryLedger();
    swapped.record('e1', 'w1');
    swapped.record('e2', 'w2');
    expect(confirmDeliveries(sent, swapped.summary())).toMatchObject({ confirmed: false, lost: 0 });
  });

  it('rebuilds a checksum computed elsewhere', () => {
    const sent = new PairChecksum();
    sent.add('e1', 'w1');
    const copy = PairChecksum.of(sent.count, sent.value);
    expect([copy.count, copy.value]).toEqual([1, sent.value]);
  });
});
