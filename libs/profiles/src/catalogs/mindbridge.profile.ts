import type { CatalogEntry, SeedProfile } from '../seed-profile';

/** The closed `events` enum of MindBridge's Create Webhook API reference, in its order. */
export const MINDBRIDGE_EVENTS = [
  'EXPORT_READY',
  'FILE_MANAGER_FILE_ADDED',
  'DATA_ADDED',
  'INGESTION_COMPLETE',
  'INGESTION_FAILED',
  'ANALYSIS_COMPLETE',
  'ANALYSIS_FAILED',
  'UNMAPPED_ACCOUNTS',
  'ENGAGEMENT_CREATED',
  'ENGAGEMENT_UPDATED',
  'ENGAGEMENT_DELETED',
  'ANALYSIS_CREATED',
  'ANALYSIS_UPDATED',
  'ANALYSIS_DELETED',
  'ANALYSIS_ARCHIVED',
  'ANALYSIS_UNARCHIVED',
  'USER_INVITED',
  'USER_STATUS_UPDATED',
  'USER_ROLE_UPDATED',
  'USER_DELETED',
  'USER_LOGIN',
] as const;

// MindBridge documents no payload, so each schema only requires `data` to be an object.
const catalog: CatalogEntry[] = MINDBRIDGE_EVENTS.map((name) => ({
  name,
  description: `MindBridge ${name.toLowerCase().replaceAll('_', ' ')}`,
  schema: { type: 'object', description: `${name} (MindBridge documents no payload fields)` },
}));

const statusValues = ['ACTIVE', 'INACTIVE'] as const;

export const mindbridgeProfile: SeedProfile = {
  name: 'mindbridge',
  title: 'MindBridge',
  routes: { collection: 'api/v1/webhooks', update: 'PUT' },
  request: {
    name: { herald: 'name', type: { kind: 'string', min: 1 }, required: true },
    url: { herald: 'url', type: { kind: 'string', min: 1 }, required: true },
    technicalContactId: { herald: 'technicalContactId', type: { kind: 'string', min: 1 }, required: true },
    events: { herald: 'events', type: { kind: 'enumArray', values: MINDBRIDGE_EVENTS, min: 1 }, required: true },
    status: { herald: 'status', type: { kind: 'enum', values: statusValues }, required: true },
  },
  defaults: {},
  contactField: 'technicalContactId',
  response: {
    id: { from: 'id' },
    version: { from: 'version' },
    creationDate: { from: 'creationDate' },
    lastModifiedDate: { from: 'lastModifiedDate' },
    createdUserInfo: { from: 'createdUserInfo' },
    lastModifiedUserInfo: { from: 'lastModifiedUserInfo' },
    name: { from: 'name' },
    url: { from: 'url' },
    technicalContactId: { from: 'technicalContactId' },
    events: { from: 'events' },
    publicKey: { from: 'publicKey' },
    keyGenerationTimestamp: { from: 'keyGenerationTimestamp' },
    status: { from: 'status', values: { DISABLED: 'INACTIVE' } },
  },
  payloadTenantField: 'tenantId',
  // `publicKey` verifies the signature: the ed25519 `v1a` one.
  signatureProfiles: ['standard', 'compat', 'asymmetric'],
  catalog,
};
