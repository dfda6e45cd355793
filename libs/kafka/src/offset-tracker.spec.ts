import { OffsetTracker } from './offset-tracker';

describe('OffsetTracker', () => {
  it('commits only below the lowest unfinished offset', () => {
    const t = new OffsetTracker();
    ['10', '11', '12'].forEach((o) => t.start(o));
    expect(t.committable()).toBe('10');
    t.finish('12');
    t.finish('11');
    expect(t.committable()).toBe('10');
    t.finish('10');
    expect(t.committable()).toBe('13');
    expect(t.inFlight).toBe(0);
  });

  it('does not offer the same offset twice once committed', () => {
    const t = new OffsetTracker();
    t.start('5');
    t.finish('5');
    expect(t.committable()).toBe('6');
    t.markCommitted('6');
    expect(t.committable()).toBeNull();
    t.start('6');
    expect(t.committable()).toBeNull();
    t.finish('6');
    expect(t.committable()).toBe('7');
  });

  it('offers nothing before any message started', () => {
    expect(new OffsetTracker().committable()).toBeNull();
  });
});
