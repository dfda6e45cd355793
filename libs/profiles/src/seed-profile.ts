import type { PayloadTenantField, WebhookSignatureProfile } from '@herald/contracts';

/** How a request field is validated before it is handed to Herald's own schema. */
export type RequestFieldType =
  | { kind: 'string'; min?: number; max?: number }
  | { kind: 'boolean' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'enumArray'; values: readonly string[]; min?: number };

export interface RequestField {
  /** The Herald request field this one maps to (createWebhookSchema's name). */
  herald: string;
  type: RequestFieldType;
  /** Required at creation (and on a full update). */
  required?: boolean;
}

export interface ResponseField {
  /** The Herald response field it is read from; left out when the response lacks it (e.g. `secret` after creation). */
  from: string;
  /** Herald values renamed for the profile (MindBridge knows no DISABLED). */
  values?: Readonly<Record<string, string>>;
}

export interface CatalogEntry {
  name: string;
  description: string;
  /** JSON Schema of the event's `data`, written from the product's documented payload example. */
  schema: Record<string, unknown>;
}

/** A product's documented webhook API, as data: the routes, names, rules and catalog one use-case layer serves. */
export interface SeedProfile {
  name: SeedProfileName;
  title: string;
  /** Where the product's documents say the webhook API lives; null when it has none (Mindstamp). */
  routes: {
    /** Nest path of the collection, e.g. `api/v1/appuid/:appUid/webhooks`. */
    collection: string;
    /** A path parameter naming the tenant (Mindset's `appUid`). */
    tenantParam?: string;
    update: 'PUT' | 'PATCH';
  } | null;
  /** Prefix of the profile's settings API, when its product configures webhooks as account settings (Mindstamp). */
  settingsRoutes?: string;
  request: Readonly<Record<string, RequestField>>;
  /** Herald values filled in at creation when the request leaves them out. */
  defaults: Readonly<Record<string, unknown>>;
  /** A request field naming a person in the tenant's contacts directory, whose e-mail is told about failures. */
  contactField?: string;
  response: Readonly<Record<string, ResponseField>>;
  payloadTenantField: PayloadTenantField;
  signatureProfiles: readonly WebhookSignatureProfile[];
  catalog: readonly CatalogEntry[];
}

export const SEED_PROFILE_NAMES = ['mindbridge', 'mindset', 'mindstamp'] as const;
export type SeedProfileName = (typeof SEED_PROFILE_NAMES)[number];
