import { eventIdForIdempotencyKey, newId, type IdempotencyKeyRecord } from '@herald/contracts';
import { IdempotencyWindow, fingerprintOf, type IdempotencyLog } from './idempotency-window';

/** The log as a list of writes; catchUp applies what "another instance" wrote meanwhile. */
class FakeLog implements IdempotencyLog {
  readonly written: [string, IdempotencyKeyRecord][] = [];
  fromElsewhere: [string, IdempotencyKeyRecord][] = [];
  catchUps = 0;
  window?: IdempotencyWindow;
  async catchUp(): Promise<void> {
    this.catchUps++;
    for (const [key, record] of this.fromElsewhere.splice(0)) this.window?.apply(key, record);
  }
  async write(key: string, record: IdempotencyKeyRecord): Promise<void> {
    this.written.push([key, record]);
  }
}

function setup(options: { windowMs?: number; maxKeys?: number } = {}) {
  let now = Date.parse('2026-12-01T00:00:00Z');
  const log = new FakeLog();
  const window = new IdempotencyWindow(
    { windowMs: options.windowMs ?? 60_000, maxKeys: options.maxKeys ?? 100, now: () => now },
    log,
  );
  log.window = window;
  const published: string[] = [];
  const admit = (key: string, content: unknown, eventId = `evt_${key}`) =>
    window.admit(key, { eventId, fingerprint: fingerprintOf(content) }, async () => {
      published.push(eventId);
    });
  return { window, log, published, admit, advance: (ms: number) => (now += ms) };
}

describe('IdempotencyWindow', () => {
  it('publishes the first event with a key, writes its record after publishing, and answers a same-content repeat as a duplicate', async () => {
    const { log, published, admit } = setup();
    const first = await admit('t/k1', { data: { a: 1, b: 2 } });
    expect(first.outcome).toBe('accepted');
    expect(log.written).toEqual([['t/k1', first.record]]);
    // Same content with keys in another order is the same fingerprint.
    const repeat = await admit('t/k1', { data: { b: 2, a: 1 } }, 'evt_other');
    expect(repeat).toEqual({ outcome: 'duplicate', record: first.record });
    expect(published).toEqual(['evt_t/k1']);
    expect(log.written).toHaveLength(1);
  });

  it('refuses a repeat with different content as a conflict and publishes nothing for it', async () => {
    const { published, admit } = setup();
    await admit('t/k1', { data: { a: 1 } });
    const reused = await admit('t/k1', { data: { a: 2 } });
    expect(reused.outcome).toBe('conflict');
    expect(reused.record.eventId).toBe('evt_t/k1');
    expect(published).toEqual(['evt_t/k1']);
  });

  it('forgets a key once the window has passed, and ignores records that arrive already expired', async () => {
    const { window, published, admit, advance } = setup({ windowMs: 60_000 });
    await admit('t/k1', { a: 1 });
    advance(59_999);
    expect((await admit('t/k1', { a: 1 })).outcome).toBe('duplicate');
    advance(1);
    expect((await admit('t/k1', { a: 1 })).outcome).toBe('accepted');
    expect(published).toHaveLength(2);
    window.apply('t/old', { eventId: 'evt_old', fingerprint: 'f', acceptedAt: '2000-01-01T00:00:00Z' });
    expect(window.get('t/old')).toBeUndefined();
  });

  it('keeps at most maxKeys, forgetting the oldest first', async () => {
    const { window, admit, advance } = setup({ maxKeys: 2 });
    for (const key of ['t/1', 't/2', 't/3']) {
      await admit(key, {});
      advance(1);
    }
    expect(window.size).toBe(2);
    expect(window.get('t/1')).toBeUndefined();
    expect(window.get('t/2')).toBeDefined();
    expect(window.get('t/3')).toBeDefined();
  });

  it('single-flights concurrent requests for one key: the second waits for the first and is a duplicate', async () => {
    const { window, log } = setup();
    let release!: () => void;
    const published: string[] = [];
    const slow = () =>
      new Promise<void>((resolve) => {
        release = () => {
          published.push('first');
          resolve();
        };
      });
    const first = window.admit('t/k', { eventId: 'evt_1', fingerprint: 'f' }, slow);
    const second = window.admit(
      't/k',
      { eventId: 'evt_1', fingerprint: 'f' },
      async () => void published.push('second'),
    );
    const conflicting = window.admit(
      't/k',
      { eventId: 'evt_1', fingerprint: 'g' },
      async () => void published.push('third'),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(published).toEqual([]);
    release();
    expect((await first).outcome).toBe('accepted');
    expect((await second).outcome).toBe('duplicate');
    expect((await conflicting).outcome).toBe('conflict');
    expect(published).toEqual(['first']);
    expect(log.written).toHaveLength(1);
  });

  it('lets the waiting request publish when the first one failed, and records nothing for the failure', async () => {
    const { window, log } = setup();
    const failing = window.admit('t/k', { eventId: 'evt_1', fingerprint: 'f' }, async () => {
      throw new Error('broker down');
    });
    const retry = window.admit('t/k', { eventId: 'evt_1', fingerprint: 'f' }, async () => undefined);
    await expect(failing).rejects.toThrow('broker down');
    expect((await retry).outcome).toBe('accepted');
    expect(log.written).toHaveLength(1);
  });

  it('catches up with the log on a miss, so a key another instance accepted moments ago is a duplicate', async () => {
    const { log, published, admit } = setup();
    log.fromElsewhere.push([
      't/k',
      { eventId: 'evt_elsewhere', fingerprint: fingerprintOf({ a: 1 }), acceptedAt: '2026-11-30T23:59:59Z' },
    ]);
    const repeat = await admit('t/k', { a: 1 });
    expect(repeat).toMatchObject({ outcome: 'duplicate', record: { eventId: 'evt_elsewhere' } });
    expect(published).toEqual([]);
    expect(log.catchUps).toBe(1);
    // A hit needs no catch-up.
    await admit('t/k', { a: 1 });
    expect(log.catchUps).toBe(1);
  });
});

describe('eventIdForIdempotencyKey', () => {
  it('derives the same eventId from the same (tenant, key), shaped like a generated one', () => {
    const id = eventIdForIdempotencyKey('acme', 'order-42');
    expect(id).toBe(eventIdForIdempotencyKey('acme', 'order-42'));
    expect(id).toMatch(/^evt_[0-9a-f]{32}$/);
    expect(id.length).toBe(newId('evt').length);
    expect(id).not.toBe(eventIdForIdempotencyKey('globex', 'order-42'));
    expect(id).not.toBe(eventIdForIdempotencyKey('acme', 'order-43'));
    // The separator keeps ("a", "b/c") and ("a/b", "c") apart.
    expect(eventIdForIdempotencyKey('a', 'bc')).not.toBe(eventIdForIdempotencyKey('ab', 'c'));
  });
});
