import { z } from 'zod';
import type { ApiOperation } from '@herald/openapi';
import { mindstampProfile } from '../catalogs/mindstamp.profile';
import { tenantProfileListSchema } from '../tenant-profile.dto';
import { mindstampSchemas } from './mindstamp-settings.dto';

const tag = 'Mindstamp profile';
const off = 'Not found; also when the Mindstamp profile is off for the tenant';

/** Mindstamp's settings routes; `url` is Herald's webhook URL rule and `testResult` the unsaved-URL test's answer. */
export function mindstampOperations(
  url: z.ZodType<string>,
  testResult: z.ZodType,
  schemas: Map<z.ZodType, string>,
): ApiOperation[] {
  const api = mindstampSchemas(url);
  schemas
    .set(api.integration, 'MindstampIntegration')
    .set(api.xKey, 'MindstampXKey')
    .set(api.video, 'MindstampVideo')
    .set(api.videoList, 'MindstampVideoList');
  const base = `/${mindstampProfile.settingsRoutes}`;
  const video = `${base}/videos/{videoId}`;
  const common = { tag, refusalText: { 404: off }, refusals: [404] };
  const integration = { status: 200, description: 'The account settings', schema: api.integration };
  const xKey = { status: 200, description: 'The account X-KEY', schema: api.xKey };
  return [
    {
      ...common,
      method: 'get',
      path: `${base}/integration`,
      operationId: 'mindstampGetIntegration',
      scope: 'read',
      summary: 'Account webhook URLs per kind (view, interaction, lead)',
      success: integration,
    },
    {
      ...common,
      method: 'put',
      path: `${base}/integration`,
      operationId: 'mindstampPutIntegration',
      scope: 'admin',
      summary: 'Set account webhook URLs (kinds left out keep theirs; blank clears)',
      body: api.putIntegration,
      success: integration,
    },
    {
      ...common,
      method: 'get',
      path: `${base}/integration/x-key`,
      operationId: 'mindstampRevealXKey',
      scope: 'admin',
      summary: 'Reveal the X-KEY sent with every Mindstamp delivery (generated on first use)',
      success: xKey,
    },
    {
      ...common,
      method: 'post',
      path: `${base}/integration/x-key/rotate`,
      operationId: 'mindstampRotateXKey',
      scope: 'admin',
      summary: 'Replace the X-KEY; every later delivery carries the new one',
      success: xKey,
    },
    {
      ...common,
      method: 'post',
      path: `${base}/url-tests`,
      operationId: 'mindstampTestUrl',
      scope: 'admin',
      summary: 'Send a signed sample of a kind, with the X-KEY, to a URL not saved yet (nothing stored)',
      body: api.urlTest,
      success: { status: 200, description: "The attempt's outcome and the one-off signing secret", schema: testResult },
    },
    {
      ...common,
      method: 'get',
      path: `${base}/videos`,
      operationId: 'mindstampListVideos',
      scope: 'read',
      summary: 'Per-video webhook settings',
      success: { status: 200, description: 'Every configured video', schema: api.videoList },
    },
    {
      ...common,
      method: 'get',
      path: video,
      operationId: 'mindstampGetVideo',
      scope: 'read',
      summary: "One video's webhook settings",
      success: { status: 200, description: 'The video', schema: api.video },
    },
    {
      ...common,
      method: 'put',
      path: video,
      operationId: 'mindstampPutVideo',
      scope: 'admin',
      summary: 'Opt a video in per kind, with an optional override URL (blank: the account URL)',
      body: api.putVideo,
      success: { status: 200, description: 'The video', schema: api.video },
    },
    {
      ...common,
      method: 'delete',
      path: video,
      operationId: 'mindstampDeleteVideo',
      scope: 'admin',
      summary: "Forget a video's settings (its events are no longer sent)",
      success: { status: 204, description: 'Deleted' },
    },
  ];
}

const profileParam = { 400: 'Unknown tenant id or profile name (names the field)' };

export const tenantProfileOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/v1/profiles',
    operationId: 'listProfiles',
    tag: 'Profiles',
    scope: 'read',
    summary: "The seed profiles and whether each is on for the caller's tenant",
    success: { status: 200, description: 'Every seed profile', schema: tenantProfileListSchema },
  },
  {
    method: 'get',
    path: '/v1/tenants/{tenantId}/profiles',
    operationId: 'listTenantProfiles',
    tag: 'Profiles',
    scope: 'operator',
    summary: 'The seed profiles of one tenant (operator only)',
    success: { status: 200, description: 'Every seed profile', schema: tenantProfileListSchema },
    refusalText: profileParam,
  },
  {
    method: 'put',
    path: '/v1/tenants/{tenantId}/profiles/{profile}',
    operationId: 'enableTenantProfile',
    tag: 'Profiles',
    scope: 'operator',
    summary: 'Turn a seed profile on for one tenant (adds its catalog; operator only)',
    success: { status: 200, description: "The tenant's profiles", schema: tenantProfileListSchema },
    refusalText: profileParam,
  },
  {
    method: 'delete',
    path: '/v1/tenants/{tenantId}/profiles/{profile}',
    operationId: 'disableTenantProfile',
    tag: 'Profiles',
    scope: 'operator',
    summary: 'Turn a seed profile off for one tenant (its webhooks stay; operator only)',
    success: { status: 200, description: "The tenant's profiles", schema: tenantProfileListSchema },
    refusalText: profileParam,
  },
];
