import { z } from 'zod';
import { SEED_PROFILE_NAMES } from './seed-profile';

export const profileNameSchema = z.enum(SEED_PROFILE_NAMES, {
  error: `profile must be one of ${SEED_PROFILE_NAMES.join(', ')}`,
});

export const tenantProfileSchema = z.strictObject({
  profile: profileNameSchema,
  title: z.string(),
  enabled: z.boolean().describe("True when the profile's routes answer for this tenant"),
  deploymentWide: z.boolean().describe('On for every tenant (SEED_PROFILES)'),
  enabledForTenant: z.boolean().describe('Turned on for this tenant by the operator'),
});
export type TenantProfile = z.infer<typeof tenantProfileSchema>;

export const tenantProfileListSchema = z.strictObject({ data: z.array(tenantProfileSchema) });
