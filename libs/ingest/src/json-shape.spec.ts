import { checkJsonShape } from './json-shape';

const limits = { maxDepth: 4, maxKeys: 10 };
const nest = (depth: number): unknown => (depth <= 1 ? {} : { a: nest(depth - 1) });

describe('checkJsonShape', () => {
  it('accepts events within both limits', () => {
    expect(checkJsonShape(nest(4), limits)).toBeNull();
    expect(checkJsonShape({ a: [1, 2, 3], b: { c: 'x' } }, limits)).toBeNull();
    expect(checkJsonShape('text', limits)).toBeNull();
  });

  it('refuses nesting past the limit, arrays included', () => {
    expect(checkJsonShape(nest(5), limits)).toBe('event nests deeper than 4 levels');
    expect(checkJsonShape({ a: [[[{}]]] }, limits)).toBe('event nests deeper than 4 levels');
  });

  it('counts keys and array elements over the whole event', () => {
    expect(checkJsonShape({ a: Array(5).fill(0), b: { c: 1, d: 2 } }, limits)).toBeNull();
    expect(checkJsonShape({ a: Array(6).fill(0), b: { c: 1, d: 2, e: 3 } }, limits)).toBe(
      'event has more than 10 keys and array elements',
    );
  });

  it('walks a very deep value without recursing', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(checkJsonShape(deep, { maxDepth: 64, maxKeys: 1_000_000 })).toBe('event nests deeper than 64 levels');
  });

  it('refuses NUL characters in values and keys, which PostgreSQL cannot store', () => {
    const nul = 'event contains a NUL character (\\u0000), which cannot be stored';
    expect(checkJsonShape({ a: { b: ['x\u0000y'] } }, limits)).toBe(nul);
    expect(checkJsonShape({ a: { 'k\u0000': 1 } }, limits)).toBe(nul);
    expect(checkJsonShape({ a: 'no nul here: \\u0000' }, limits)).toBeNull();
  });
});
