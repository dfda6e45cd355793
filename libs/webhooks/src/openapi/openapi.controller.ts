import { Controller, Get, Header } from '@nestjs/common';
import { buildOpenApiDocument, renderDocsPage } from '@herald/openapi';
import { profilesApiPart } from '@herald/profiles';
import { subscriptionApiPart } from './api-operations';
import { profileApiSchemas } from '../profile-api-schemas';

/**
 * The API reference, public like the portal's static files: it holds no data. This service serves
 * its own routes; the checked-in libs/webhooks/openapi.json also merges event-ingest's and audit-log's.
 */
@Controller()
export class OpenApiController {
  private readonly document = buildOpenApiDocument(
    [subscriptionApiPart, profilesApiPart(profileApiSchemas)],
    'Herald subscription API',
  );
  private readonly page = renderDocsPage(this.document);

  @Get('openapi.json')
  openapi() {
    return this.document;
  }

  @Get('docs')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
  docs() {
    return this.page;
  }
}
