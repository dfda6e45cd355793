import { ENTITY_CHOICES, entityChoicesOf, mindbridgeOn } from './seed-profiles';

describe('seed profile elements seen in the catalog', () => {
  const mindset = ['agent', 'context', 'contextfile'].flatMap((e) =>
    ['created', 'updated', 'deleted'].map((a) => `${e}.${a}`),
  );

  it('offers the entity checkboxes whose events the catalog holds, with the seed labels', () => {
    expect(entityChoicesOf([])).toEqual([]);
    expect(entityChoicesOf(['order.created'])).toEqual([]);
    expect(entityChoicesOf(mindset).map((c) => c.label)).toEqual(['Agents', 'Contexts', 'Context Files']);
    // "context." is not a prefix of "contextfile.": only Context Files here.
    expect(entityChoicesOf(['contextfile.created']).map((c) => c.entity)).toEqual(['contextfile']);
    expect(ENTITY_CHOICES.map((c) => c.entity)).toEqual(['agent', 'context', 'contextfile']);
  });

  it('sees the MindBridge profile by its catalog', () => {
    expect(mindbridgeOn(mindset)).toBe(false);
    expect(mindbridgeOn(['EXPORT_READY', 'ANALYSIS_COMPLETE', 'USER_LOGIN', ...mindset])).toBe(true);
  });
});
