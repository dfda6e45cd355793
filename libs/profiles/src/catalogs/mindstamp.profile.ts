import type { SeedProfile } from '../seed-profile';

/** Mindstamp's three webhook kinds; each event names its video. */
export const MINDSTAMP_EVENTS = ['view', 'interaction', 'lead'] as const;

const descriptions = {
  view: 'A view of an interactive video',
  interaction: 'An interaction within a video',
  lead: 'A lead captured by a video',
};

export const mindstampProfile: SeedProfile = {
  name: 'mindstamp',
  title: 'Mindstamp',
  // Mindstamp configures webhooks in its account settings, not through a webhook API.
  routes: null,
  settingsRoutes: 'api/v1/mindstamp',
  request: {},
  defaults: {},
  response: {},
  payloadTenantField: 'tenantId',
  signatureProfiles: ['standard', 'compat'],
  catalog: MINDSTAMP_EVENTS.map((name) => ({
    name,
    description: descriptions[name],
    schema: { type: 'object', required: ['videoId'], properties: { videoId: { type: 'string' } } },
  })),
};
