import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import {
  ApiKeyGuard,
  ApiKeysOnly,
  CurrentPrincipal,
  RequireScope,
  clearedSessionCookie,
  notFound,
  parseInput,
  sessionCookie,
  type Principal,
} from '@herald/http';
import { WEBHOOKS_OPTIONS, type WebhooksOptions } from '../webhooks.options';
import { PortalSession } from './portal-session.entity';
import { createPortalSessionSchema, toCurrentPortalSessionResponse } from './portal-session.dto';
import { CreatePortalSessionUseCase, OpenPortalSessionUseCase, RevokePortalSessionUseCase } from './usecases';

/** Served over TLS, directly or behind a proxy that terminates it. */
const overTls = (req: Request) => req.secure || req.headers['x-forwarded-proto'] === 'https';

/** Portal sessions are opened and revoked with API keys (operator or tenant admin), never by a session. */
@Controller('v1/portal-sessions')
@UseGuards(ApiKeyGuard)
export class PortalSessionsController {
  constructor(
    private readonly createSession: CreatePortalSessionUseCase,
    private readonly revokeSession: RevokePortalSessionUseCase,
    private readonly dataSource: DataSource,
  ) {}

  @Post()
  @ApiKeysOnly()
  create(@CurrentPrincipal() principal: Principal, @Body() body: unknown, @Req() req: Request) {
    const baseUrl = `${overTls(req) ? 'https' : 'http'}://${req.headers.host}`;
    return this.createSession.execute({ principal, input: parseInput(createPortalSessionSchema, body), baseUrl });
  }

  /** What the portal needs to know about the session it runs in (its tenant, scope, subset and branding). */
  @Get('current')
  @RequireScope('read')
  async current(@CurrentPrincipal() principal: Principal) {
    if (!principal.session) throw notFound('Portal session (this request is authenticated by an API key)');
    const session = await this.dataSource.getRepository(PortalSession).findOneByOrFail({ id: principal.session.id });
    return toCurrentPortalSessionResponse(session);
  }

  @Delete(':id')
  @ApiKeysOnly()
  @HttpCode(204)
  async revoke(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    await this.revokeSession.execute({ principal, sessionId: id });
  }
}

/** The one-time link: sets the session cookie and sends the browser on to the portal. */
@Controller('admin/session')
export class PortalSessionLinkController {
  constructor(
    private readonly openSession: OpenPortalSessionUseCase,
    @Inject(WEBHOOKS_OPTIONS) private readonly options: WebhooksOptions,
  ) {}

  @Get(':token')
  async open(@Param('token') token: string, @Req() req: Request, @Res() res: Response) {
    try {
      const { sessionToken, expiresAt } = await this.openSession.execute({ linkToken: token });
      const cookie = sessionCookie(sessionToken, {
        expiresAt,
        secure: overTls(req),
        embedding: this.options.portalEmbedding === true,
      });
      res.set({ 'set-cookie': cookie, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
      res.redirect(303, '/admin/#session');
    } catch (error) {
      // A refused link also drops any older session cookie, so the portal does not open someone's stale session.
      res.set({ 'set-cookie': clearedSessionCookie(), 'cache-control': 'no-store' });
      throw error;
    }
  }
}
