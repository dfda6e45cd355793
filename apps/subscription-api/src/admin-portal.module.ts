import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { Controller, Get, Inject, Module, Param, Res, type DynamicModule } from '@nestjs/common';
import type { Response } from 'express';
import { notFound, portalSecurityHeaders } from '@herald/http';

const ADMIN_PORTAL_FILES = Symbol('ADMIN_PORTAL_FILES');
const PORTAL_HEADERS = Symbol('PORTAL_HEADERS');

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json; charset=utf-8',
};

type PortalFiles = Map<string, { body: Buffer; type: string }>;

/** The build of apps/portal, read once at start: a fixed set of names, so no path reaches the disk. */
function readPortal(dir: string): PortalFiles {
  const files: PortalFiles = new Map();
  if (!existsSync(dir)) return files;
  for (const name of readdirSync(dir)) {
    const type = contentTypes[extname(name)];
    if (type) files.set(name, { body: readFileSync(resolve(dir, name)), type });
  }
  return files;
}

@Controller('admin')
class AdminPortalController {
  constructor(
    @Inject(ADMIN_PORTAL_FILES) private readonly files: PortalFiles,
    @Inject(PORTAL_HEADERS) private readonly headers: Record<string, string>,
  ) {}

  @Get()
  index(@Res() res: Response) {
    this.send(res, 'index.html');
  }

  @Get(':file')
  asset(@Param('file') file: string, @Res() res: Response) {
    this.send(res, file);
  }

  private send(res: Response, name: string) {
    const file = this.files.get(name);
    if (!file) throw notFound(name === 'index.html' ? 'The admin portal build (run npm run build)' : `File ${name}`);
    res.set({ ...this.headers, 'content-type': file.type }).send(file.body);
  }
}

/** Serves the admin portal's static build at /admin (public: the pages hold no data until signed in). */
@Module({})
export class AdminPortalModule {
  /** `frameAncestors`: origins that may embed the portal in an iframe (none: it cannot be framed). */
  static forRoot(dir: string, frameAncestors: readonly string[]): DynamicModule {
    return {
      module: AdminPortalModule,
      controllers: [AdminPortalController],
      providers: [
        { provide: ADMIN_PORTAL_FILES, useValue: readPortal(dir) },
        { provide: PORTAL_HEADERS, useValue: portalSecurityHeaders(frameAncestors) },
      ],
    };
  }
}
