import { z } from 'zod';
import type { ApiOperation, ApiPart } from '@herald/openapi';
import { putContactSchema } from './contact.dto';
import { requestSchemaOf } from './profile-mapping';
import { SEED_PROFILES } from './profiles';
import type { SeedProfile } from './seed-profile';
import { mindstampOperations, tenantProfileOperations } from './mindstamp/mindstamp-api-part';

const timestamp = z.string().describe('ISO 8601');
const contactSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  creationDate: timestamp,
  lastModifiedDate: timestamp,
});

/** The profile's answer: Herald's fields under the profile's names, values renamed where the profile says. */
function responseSchemaOf(profile: SeedProfile, herald: z.ZodObject): z.ZodObject {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, field] of Object.entries(profile.response)) {
    const source = herald.shape[field.from] as z.ZodType;
    const options = (source as unknown as { options?: string[] }).options;
    shape[name] =
      field.values && options
        ? z.enum([...new Set(options.map((o) => field.values![o] ?? o))] as [string, ...string[]])
        : source;
  }
  return z.strictObject(shape);
}

function profileOperations(profile: SeedProfile, herald: z.ZodObject, schemas: Map<z.ZodType, string>) {
  const routes = profile.routes!;
  const collection = `/${routes.collection.replace(/:(\w+)/g, '{$1}')}`;
  const item = `${collection}/{webhookId}`;
  const response = responseSchemaOf(profile, herald);
  const list = z.array(response);
  const type = `${profile.title.replace(/\W/g, '')}Webhook`;
  schemas.set(response, type).set(list, `${type}List`);
  const tag = `${profile.title} profile`;
  const id = (verb: string) => `${profile.name}${verb}`;
  const off = `Not found; also when the ${profile.name} profile is off (SEED_PROFILES)`;
  const common = { tag, refusalText: { 404: off } };
  const operations: ApiOperation[] = [
    {
      ...common,
      method: 'post',
      path: collection,
      operationId: id('CreateWebhook'),
      scope: 'admin',
      summary: `Create a webhook as ${profile.title} documents it`,
      body: requestSchemaOf(profile, 'create'),
      success: { status: 201, description: 'Created', schema: response },
      refusals: [404, 409],
    },
    {
      ...common,
      method: 'get',
      path: collection,
      operationId: id('ListWebhooks'),
      scope: 'read',
      summary: `List webhooks (${profile.title} names)`,
      success: { status: 200, description: 'Every webhook of the tenant', schema: list },
      refusals: [404],
    },
    {
      ...common,
      method: 'get',
      path: item,
      operationId: id('GetWebhook'),
      scope: 'read',
      summary: `Get one webhook (${profile.title} names)`,
      success: { status: 200, description: 'The webhook', schema: response },
      refusals: [404],
    },
    {
      ...common,
      method: routes.update === 'PUT' ? 'put' : 'patch',
      path: item,
      operationId: id('UpdateWebhook'),
      scope: 'admin',
      summary:
        routes.update === 'PUT'
          ? 'Replace a webhook (send version to guard the change)'
          : 'Change some fields (pause with {"active":false})',
      body: requestSchemaOf(profile, routes.update === 'PUT' ? 'replace' : 'patch'),
      success: { status: 200, description: 'The changed webhook', schema: response },
      refusals: [404, 409],
    },
    {
      ...common,
      method: 'delete',
      path: item,
      operationId: id('DeleteWebhook'),
      scope: 'admin',
      summary: 'Delete a webhook',
      success: { status: 204, description: 'Deleted' },
      refusals: [404],
    },
  ];
  return operations;
}

const contactOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/v1/contacts',
    operationId: 'listContacts',
    tag: 'Contacts',
    scope: 'read',
    summary: "The tenant's contacts directory (technicalContactId names one)",
    success: { status: 200, description: 'Every contact', schema: z.strictObject({ data: z.array(contactSchema) }) },
  },
  {
    method: 'get',
    path: '/v1/contacts/{id}',
    operationId: 'getContact',
    tag: 'Contacts',
    scope: 'read',
    summary: 'Get one contact',
    success: { status: 200, description: 'The contact', schema: contactSchema },
    refusals: [404],
  },
  {
    method: 'put',
    path: '/v1/contacts/{id}',
    operationId: 'putContact',
    tag: 'Contacts',
    scope: 'admin',
    summary: 'Create or replace a contact; webhooks notifying its old e-mail notify the new one',
    body: putContactSchema,
    success: { status: 200, description: 'The contact', schema: contactSchema },
  },
  {
    method: 'delete',
    path: '/v1/contacts/{id}',
    operationId: 'deleteContact',
    tag: 'Contacts',
    scope: 'admin',
    summary: 'Delete a contact no webhook names',
    success: { status: 204, description: 'Deleted' },
    refusals: [404, 409],
    refusalText: { 409: 'A webhook names the contact as its technicalContactId' },
  },
];

/** Herald's schemas the profile routes reuse (they live with the webhooks API, which imports this lib). */
export interface HeraldApiSchemas {
  webhook: z.ZodObject;
  /** Its `url` is Herald's webhook URL rule. */
  urlTest: z.ZodObject;
  testResult: z.ZodObject;
}

const urlTestResultOf = (herald: HeraldApiSchemas) =>
  herald.testResult.omit({ webhookId: true }).extend({ secret: z.string() });

function urlTestOperation(herald: HeraldApiSchemas): ApiOperation {
  return {
    method: 'post',
    path: '/v1/url-tests',
    operationId: 'testUnsavedUrl',
    tag: 'URL tests',
    scope: 'admin',
    summary: 'Send one signed test event to a URL not saved yet (SSRF guard and signing as a delivery; nothing stored)',
    body: herald.urlTest,
    success: {
      status: 200,
      description: "The attempt's outcome and the one-off secret it was signed with",
      schema: urlTestResultOf(herald),
    },
  };
}

/** The profiles' (with Mindstamp's settings and per-tenant enablement), contacts' and unsaved-URL test's share of the OpenAPI document. */
export function profilesApiPart(herald: HeraldApiSchemas): ApiPart {
  const schemas = new Map<z.ZodType, string>([[contactSchema, 'Contact']]);
  const served = Object.values(SEED_PROFILES).filter((p) => p.routes);
  return {
    tags: [...served.map((p) => `${p.title} profile`), 'Mindstamp profile', 'Profiles', 'Contacts', 'URL tests'],
    operations: [
      ...served.flatMap((p) => profileOperations(p, herald.webhook, schemas)),
      ...mindstampOperations(herald.urlTest.shape.url as z.ZodType<string>, urlTestResultOf(herald), schemas),
      ...tenantProfileOperations,
      ...contactOperations,
      urlTestOperation(herald),
    ],
    schemas,
  };
}
