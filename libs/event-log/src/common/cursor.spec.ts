import { httpErrorOf } from '@herald/http';
import { decodeCursor, encodeCursor, page } from './cursor';

function refusal(cursor: string): { status: number; message: string } {
  try {
    decodeCursor(cursor);
  } catch (error) {
    const { status, body } = httpErrorOf(error);
    return { status, message: body.error.message };
  }
  throw new Error(`cursor ${JSON.stringify(cursor)} was accepted`);
}

describe('keyset cursors', () => {
  it('round-trips (time, id) and refuses anything else with a 400 that says what to pass', () => {
    const time = new Date('2026-11-23T10:00:00.123Z');
    expect(decodeCursor(encodeCursor(time, 'att_1|x'))).toEqual({ time, id: 'att_1|x' });
    for (const bad of ['', 'bm90IGEgY3Vyc29y', Buffer.from('2026-99-99|att').toString('base64url')]) {
      expect(refusal(bad)).toEqual({
        status: 400,
        message: 'cursor is not valid (pass nextCursor from the previous page)',
      });
    }
  });

  it('returns limit rows and a cursor only when a further row was fetched', () => {
    const rows = [1, 2, 3].map((n) => ({ at: new Date(Date.UTC(2026, 0, n)), id: `r${n}` }));
    const key = (r: { at: Date; id: string }) => ({ time: r.at, id: r.id });
    const first = page(rows, 2, key, (r) => r.id);
    expect(first.data).toEqual(['r1', 'r2']);
    expect(decodeCursor(first.nextCursor!)).toEqual({ time: rows[1].at, id: 'r2' });
    expect(page(rows, 3, key, (r) => r.id).nextCursor).toBeNull();
  });
});
