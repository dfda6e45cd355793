import { controllerRoutes, documentedRoutes } from '@herald/openapi';
import { SEED_PROFILES, heraldInputOf, profilesApiPart } from '@herald/profiles';
import { createWebhookSchema, profileApiSchemas, updateWebhookSchema } from '@herald/webhooks';
import {
  ContactsController,
  MindstampController,
  ProfilesController,
  TenantProfilesController,
  UrlTestsController,
  profileWebhooksController,
} from './index';

const { mindbridge, mindset } = SEED_PROFILES;

describe('profile routes', () => {
  it('serve exactly the routes the OpenAPI share documents, with the profile update verb', () => {
    const part = profilesApiPart(profileApiSchemas);
    const controllers = [
      profileWebhooksController(mindbridge),
      profileWebhooksController(mindset),
      ContactsController,
      UrlTestsController,
      MindstampController,
      ProfilesController,
      TenantProfilesController,
    ];
    const served = controllerRoutes(controllers);
    expect(documentedRoutes(part.operations)).toEqual(served);
    expect(served).toEqual(
      expect.arrayContaining([
        'PUT /api/v1/webhooks/{webhookId}',
        'PATCH /api/v1/appuid/{appUid}/webhooks/{webhookId}',
        'PUT /api/v1/mindstamp/videos/{videoId}',
        'PUT /v1/tenants/{tenantId}/profiles/{profile}',
      ]),
    );
  });

  it("hand Herald's schemas input they accept, for every profile and mode", () => {
    const mindbridgeBody = {
      name: 'n',
      url: 'https://x.example.com/h',
      technicalContactId: 'c',
      events: ['USER_LOGIN'],
      status: 'ACTIVE',
    };
    expect(createWebhookSchema.safeParse(heraldInputOf(mindbridge, mindbridgeBody, 'create')).error).toBeUndefined();
    const { version, ...replace } = heraldInputOf(mindbridge, { ...mindbridgeBody, version: 3 }, 'replace');
    expect(version).toBe(3);
    expect(updateWebhookSchema.safeParse(replace).error).toBeUndefined();
    const mindsetCreate = heraldInputOf(mindset, { url: 'https://p.example.com/h', active: true }, 'create');
    expect(createWebhookSchema.safeParse(mindsetCreate).error).toBeUndefined();
    expect(updateWebhookSchema.safeParse(heraldInputOf(mindset, { active: false }, 'patch')).error).toBeUndefined();
  });
});
