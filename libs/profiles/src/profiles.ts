import { z } from 'zod';
import { mindbridgeProfile } from './catalogs/mindbridge.profile';
import { mindsetProfile } from './catalogs/mindset.profile';
import { mindstampProfile } from './catalogs/mindstamp.profile';
import { SEED_PROFILE_NAMES, type SeedProfile, type SeedProfileName } from './seed-profile';

/** The profiles Herald ships, beside its own API. */
export const SEED_PROFILES: Readonly<Record<SeedProfileName, SeedProfile>> = {
  mindbridge: mindbridgeProfile,
  mindset: mindsetProfile,
  mindstamp: mindstampProfile,
};

/** Environment of the profiles (spread into subscription-api's config schema). */
export const profilesEnv = {
  /** Profiles turned on for this deployment, e.g. `mindbridge,mindset`: their routes answer and their catalogs are seeded. */
  SEED_PROFILES: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(
      z.array(
        z.enum(SEED_PROFILE_NAMES, {
          error: `must be comma-separated profile names: ${SEED_PROFILE_NAMES.join(', ')}`,
        }),
      ),
    ),
};

export const PROFILES_SETTINGS = Symbol('PROFILES_SETTINGS');

export interface ProfilesSettings {
  enabled: readonly SeedProfileName[];
}
