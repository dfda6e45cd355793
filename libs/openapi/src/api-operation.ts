import { z } from 'zod';
import { HERALD_ERROR_CODES, wireCodeOf } from '@herald/http';

/** One public HTTP route, as the service that owns it declares it for the OpenAPI document. */
export interface ApiOperation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI form: `/v1/webhooks/{id}`. */
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  scope: 'admin' | 'read' | 'operator' | 'session' | 'publish';
  body?: z.ZodType;
  query?: z.ZodObject;
  ifMatch?: boolean;
  idempotencyKey?: boolean;
  success: ApiAnswer;
  /** Other successful answers (e.g. 200 for a replayed event besides 202). */
  alternatives?: ApiAnswer[];
  /** Refusals besides 400/401/403 that this route can answer. */
  refusals?: number[];
  /** Route-specific wording of a refusal, replacing the generic text. */
  refusalText?: Record<number, string>;
}

export interface ApiAnswer {
  status: number;
  description: string;
  schema?: z.ZodType;
}

/** A request Herald itself sends to receivers (OpenAPI 3.1 `webhooks`), e.g. an operational event. */
export interface ApiWebhook {
  name: string;
  summary: string;
  /** The JSON body POSTed. */
  payload: z.ZodType;
}

/** What one service contributes to the document: its routes, tags and named response shapes. */
export interface ApiPart {
  tags: string[];
  operations: ApiOperation[];
  webhooks?: readonly ApiWebhook[];
  /** Response shapes shared by several operations, put once under components/schemas. */
  schemas: Map<z.ZodType, string>;
}

export const errorResponseSchema = z.strictObject({
  error: z.strictObject({
    // Every code the error table answers with, so clients (the SDK) get them as a type.
    code: z.enum([...new Set(HERALD_ERROR_CODES.map(wireCodeOf))] as [string, ...string[]]),
    message: z.string().describe('Names the field and the bound; never a secret'),
    details: z.unknown().optional(),
  }),
});
