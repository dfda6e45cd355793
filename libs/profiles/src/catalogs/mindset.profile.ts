import type { CatalogEntry, SeedProfile } from '../seed-profile';

export const MINDSET_ENTITIES = ['agent', 'context', 'contextfile'] as const;
const actions = ['created', 'updated', 'deleted'] as const;

const resource = {
  uid: { type: 'string' },
  appUid: { type: 'string' },
  externalTenantId: { type: 'string', description: 'Identifies which tenant made the change' },
  createdAt: { type: 'string' },
};

// The guide's payload example is an agent; every event carries the complete resource and its externalTenantId.
const dataSchemas: Record<(typeof MINDSET_ENTITIES)[number], Record<string, unknown>> = {
  agent: {
    type: 'object',
    required: ['uid', 'externalTenantId'],
    properties: { ...resource, agentName: { type: 'string' }, live: { type: 'boolean' } },
  },
  context: { type: 'object', required: ['uid', 'externalTenantId'], properties: resource },
  contextfile: { type: 'object', required: ['uid', 'externalTenantId'], properties: resource },
};

const descriptions = {
  agent: 'AI agents configured by tenants',
  context: 'Knowledge bases and document collections',
  contextfile: 'Files uploaded to contexts',
};

export const MINDSET_EVENTS = MINDSET_ENTITIES.flatMap((entity) => actions.map((action) => `${entity}.${action}`));

const catalog: CatalogEntry[] = MINDSET_ENTITIES.flatMap((entity) =>
  actions.map((action) => ({
    name: `${entity}.${action}`,
    description: `${descriptions[entity]}: ${action}`,
    schema: dataSchemas[entity],
  })),
);

export const mindsetProfile: SeedProfile = {
  name: 'mindset',
  title: 'Mindset AI',
  routes: { collection: 'api/v1/appuid/:appUid/webhooks', tenantParam: 'appUid', update: 'PATCH' },
  request: {
    name: { herald: 'name', type: { kind: 'string', min: 1, max: 50 } },
    url: { herald: 'url', type: { kind: 'string', min: 1 }, required: true },
    entities: { herald: 'entities', type: { kind: 'enumArray', values: MINDSET_ENTITIES, min: 1 } },
    active: { herald: 'active', type: { kind: 'boolean' } },
  },
  // No entity chosen: every resource type fires ("Webhooks fire for 3 resource types").
  defaults: { entities: [...MINDSET_ENTITIES] },
  response: {
    uid: { from: 'id' },
    name: { from: 'name' },
    url: { from: 'url' },
    secret: { from: 'secret' },
    entities: { from: 'entities' },
    active: { from: 'active' },
    createdAt: { from: 'creationDate' },
    lastTriggeredAt: { from: 'lastTriggeredAt' },
  },
  payloadTenantField: 'appUid',
  signatureProfiles: ['standard', 'compat'],
  catalog,
};
