import type { HeraldApiSchemas } from '@herald/profiles';
import { testEventResultSchema, webhookResponseSchema } from './openapi/api-responses';
import { sendUrlTestSchema } from './usecases/send-url-test/send-url-test.command';

/** The schemas of this API that the seed profiles' OpenAPI share reuses (profilesApiPart). */
export const profileApiSchemas: HeraldApiSchemas = {
  webhook: webhookResponseSchema,
  urlTest: sendUrlTestSchema,
  testResult: testEventResultSchema,
};
