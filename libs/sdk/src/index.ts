// @herald/sdk: types generated from the checked-in OpenAPI document (openapi-typescript), calls by openapi-fetch.
export * from './client';
export * from './errors';
export * from './pagination';
export * from './idempotency';
export type { paths, components, operations } from './generated/openapi';
/** A named response schema of the API, e.g. `Schema<'Webhook'>`. */
export type Schema<Name extends keyof import('./generated/openapi').components['schemas']> =
  import('./generated/openapi').components['schemas'][Name];
