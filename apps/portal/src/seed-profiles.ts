// What the portal offers for a seed profile that is on, seen in the catalog its profile seeds.

/** Mindset AI's entity types: each checkbox subscribes to every event of the entity (`agent.*`). */
export const ENTITY_CHOICES = [
  { entity: 'agent', label: 'Agents', hint: 'an agent is created, updated or deleted' },
  { entity: 'context', label: 'Contexts', hint: 'a context is created, updated or deleted' },
  { entity: 'contextfile', label: 'Context Files', hint: 'a file of a context is created, updated or deleted' },
] as const;

export const entityFilter = (entity: string) => `${entity}.*`;

/** The entity choices whose events the catalog holds (all three once the Mindset profile is on). */
export const entityChoicesOf = (catalogNames: readonly string[]) =>
  ENTITY_CHOICES.filter(({ entity }) => catalogNames.some((name) => name.startsWith(`${entity}.`)));

// Names only MindBridge's closed enum has; its profile seeds all 21.
const MINDBRIDGE_MARKERS = ['EXPORT_READY', 'ANALYSIS_COMPLETE', 'USER_LOGIN'];

/** The MindBridge profile is on: a webhook's sidechannel e-mail can be a person of the contacts directory. */
export const mindbridgeOn = (catalogNames: readonly string[]) =>
  MINDBRIDGE_MARKERS.every((name) => catalogNames.includes(name));
