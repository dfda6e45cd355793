import { decodeEventValue } from './source-topics.consumer';

describe('decodeEventValue', () => {
  it.each([
    [null, 'empty message value'],
    ['', 'empty message value'],
    ['x'.repeat(11), 'event is 11 bytes; the limit is 10 bytes'],
    [Buffer.from([0xff, 0xfe]), 'value is not valid UTF-8'],
    ['{"a":', /^value is not valid JSON: /],
    ['[1]', 'value must be a JSON object'],
  ])('refuses %j naming why', (value, reason) => {
    const buffer = value === null ? null : Buffer.isBuffer(value) ? value : Buffer.from(value);
    const decoded = decodeEventValue(buffer, 10);
    expect('reason' in decoded && decoded.reason).toEqual(
      typeof reason === 'string' ? reason : expect.stringMatching(reason),
    );
  });

  it('returns the decoded object', () => {
    expect(decodeEventValue(Buffer.from('{"a":1}'), 10)).toEqual({ raw: { a: 1 } });
  });
});
