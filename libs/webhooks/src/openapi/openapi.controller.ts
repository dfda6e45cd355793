import { Controller, Get, Header } from '@nestjs/common';
import { buildOpenApiDocument, renderDocsPage } from './openapi-document';

/** The API reference, public like the portal's static files: it holds no data. */
@Controller()
export class OpenApiController {
  private readonly document = buildOpenApiDocument();
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
