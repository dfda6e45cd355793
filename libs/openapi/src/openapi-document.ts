import { z } from 'zod';
import { HERALD_VERSION } from '@herald/contracts';
import { errorResponseSchema, type ApiAnswer, type ApiOperation, type ApiPart, type ApiWebhook } from './api-operation';

const STATUS_TEXT: Record<number, string> = {
  400: 'Invalid input; the message names the field and the bound',
  401: 'Missing or invalid API key',
  403: 'The key lacks the scope (or, for the catalog, is not the operator key)',
  404: "Not found (also another tenant's resource)",
  409: 'Conflict: stale version in the body, name taken, or the per-tenant webhook limit reached',
  412: 'If-Match names a version that is no longer current',
  422: 'Idempotency-Key reused with a different body',
};

const answer = (a: ApiAnswer, schemas: Map<z.ZodType, string>) => ({
  description: a.description,
  ...(a.schema ? { content: { 'application/json': { schema: responseSchema(a.schema, schemas) } } } : {}),
});

const SCOPE_TEXT = {
  admin: 'Needs an API key with the `admin` scope.',
  read: 'Needs an API key with the `read` (or `admin`) scope.',
  operator: 'Needs the bootstrap (platform operator) key: the catalog is shared by every tenant.',
  session:
    'Needs a portal session: the `herald_session` cookie set by opening a session link, with the `X-Herald-Portal` header.',
  publish: 'Needs an API key with the `admin` scope; a tenant key publishes for its own tenant only.',
};

/** JSON Schema (2020-12, as OpenAPI 3.1 uses) of what a client sends. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output' = 'input'): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return rest;
}

function responseSchema(schema: z.ZodType, schemas: Map<z.ZodType, string>) {
  const name = schemas.get(schema);
  return name ? { $ref: `#/components/schemas/${name}` } : jsonSchema(schema, 'output');
}

function operationObject(op: ApiOperation, schemas: Map<z.ZodType, string>) {
  const parameters: unknown[] = [];
  for (const match of op.path.matchAll(/\{(\w+)\}/g)) {
    parameters.push({ name: match[1], in: 'path', required: true, schema: { type: 'string' } });
  }
  if (op.query) {
    const query = jsonSchema(op.query) as { properties?: Record<string, unknown>; required?: string[] };
    for (const [name, schema] of Object.entries(query.properties ?? {})) {
      parameters.push({ name, in: 'query', required: query.required?.includes(name) ?? false, schema });
    }
  }
  if (op.ifMatch) {
    parameters.push({
      name: 'If-Match',
      in: 'header',
      required: false,
      description: 'The version the change is based on, e.g. "3"',
      schema: { type: 'string' },
    });
  }
  if (op.idempotencyKey) {
    parameters.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description: 'Repeats within 12 h return the first result',
      schema: { type: 'string', maxLength: 255 },
    });
  }
  const responses: Record<string, unknown> = {};
  for (const a of [op.success, ...(op.alternatives ?? [])]) responses[a.status] = answer(a, schemas);
  for (const status of [400, 401, 403, ...(op.refusals ?? [])]) {
    responses[status] = {
      description: op.refusalText?.[status] ?? STATUS_TEXT[status],
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    };
  }
  return {
    operationId: op.operationId,
    summary: op.summary,
    description: SCOPE_TEXT[op.scope],
    tags: [op.tag],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(op.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(op.body) } } } }
      : {}),
    responses,
  };
}

/** The OpenAPI 3.1 document of Herald's public API, merged from each service's route table and zod schemas. */
export function buildOpenApiDocument(parts: ApiPart[], title = 'Herald API') {
  const schemas = new Map<z.ZodType, string>([
    ...parts.flatMap((part) => [...part.schemas]),
    [errorResponseSchema, 'Error'],
  ]);
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of parts.flatMap((part) => part.operations)) {
    paths[op.path] ??= {};
    if (paths[op.path][op.method]) throw new Error(`${op.method.toUpperCase()} ${op.path} is declared twice`);
    paths[op.path][op.method] = operationObject(op, schemas);
  }
  return {
    openapi: '3.1.0',
    info: {
      title,
      version: HERALD_VERSION,
      description:
        'Manage webhooks, API keys, the event-type catalog and portal sessions; publish events; read events and their delivery attempts. ' +
        'Every request carries `Authorization: Bearer <api key>` ' +
        '(or, from the portal, a session cookie with the `X-Herald-Portal` header). ' +
        'Errors are `{"error":{"code","message"}}`. The webhook operations are also served over gRPC (libs/webhooks/proto/herald/admin/v1/admin.proto).',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    tags: parts.flatMap((part) => part.tags.map((name) => ({ name }))),
    paths,
    ...webhooksObject(parts.flatMap((part) => part.webhooks ?? [])),
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An API key (hk_…) or the bootstrap admin key' },
      },
      schemas: Object.fromEntries([...schemas].map(([schema, name]) => [name, jsonSchema(schema, 'output')])),
    },
  };
}

/** OpenAPI 3.1 `webhooks`: what Herald POSTs to receivers (signed with the Standard Webhooks headers). */
function webhooksObject(webhooks: ApiWebhook[]) {
  if (webhooks.length === 0) return {};
  const entries = webhooks.map((w) => [
    w.name,
    {
      post: {
        summary: w.summary,
        description: 'Signed with `webhook-id`, `webhook-timestamp` and `webhook-signature` (Standard Webhooks).',
        requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(w.payload, 'output') } } },
        responses: { '2XX': { description: 'Delivered; any other answer is retried' } },
      },
    },
  ]);
  return { webhooks: Object.fromEntries(entries) };
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A plain, script-free HTML reference generated from the same document (served at /docs). */
export function renderDocsPage(document: ReturnType<typeof buildOpenApiDocument>): string {
  const rows = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => {
      const o = op as { summary: string; description: string; operationId: string };
      return `<tr><td><code>${method.toUpperCase()}</code></td><td><code>${escape(path)}</code></td><td>${escape(o.summary)}<br><small>${escape(o.description)}</small></td></tr>`;
    }),
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(document.info.title)}</title></head><body>
<h1>${escape(document.info.title)} ${escape(document.info.version)}</h1>
<p>${escape(document.info.description)}</p>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).</p>
<table border="1" cellpadding="4"><thead><tr><th>Method</th><th>Path</th><th>What it does</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table></body></html>
`;
}
