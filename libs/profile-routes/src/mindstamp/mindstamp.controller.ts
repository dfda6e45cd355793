import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, UseGuards } from '@nestjs/common';
import { ApiKeyGuard, CurrentPrincipal, RequireScope, parseInput, type Principal } from '@herald/http';
import { mindstampVideoIdSchema } from '@herald/profiles';
import { MindstampSettings, mindstamp } from './mindstamp-settings';

const videoIdOf = (id: string) => parseInput(mindstampVideoIdSchema, id, 'videoId');

/** Mindstamp's account Integration tab and per-video webhook settings (portal sessions may use them). */
@Controller(mindstamp.settingsRoutes!)
@UseGuards(ApiKeyGuard)
export class MindstampController {
  constructor(private readonly settings: MindstampSettings) {}

  @Get('integration')
  integration(@CurrentPrincipal() principal: Principal) {
    return this.settings.integration(principal);
  }

  @Put('integration')
  putIntegration(@CurrentPrincipal() principal: Principal, @Body() body: unknown) {
    return this.settings.putIntegration(principal, body);
  }

  /** Reveals a credential: admin scope although a GET. */
  @Get('integration/x-key')
  @RequireScope('admin')
  xKey(@CurrentPrincipal() principal: Principal) {
    return this.settings.revealXKey(principal);
  }

  @Post('integration/x-key/rotate')
  @HttpCode(200)
  rotateXKey(@CurrentPrincipal() principal: Principal) {
    return this.settings.rotateXKey(principal);
  }

  @Post('url-tests')
  @HttpCode(200)
  testUrl(@CurrentPrincipal() principal: Principal, @Body() body: unknown) {
    return this.settings.testUrl(principal, body);
  }

  @Get('videos')
  videos(@CurrentPrincipal() principal: Principal) {
    return this.settings.videos(principal);
  }

  @Get('videos/:videoId')
  video(@CurrentPrincipal() principal: Principal, @Param('videoId') videoId: string) {
    return this.settings.video(principal, videoIdOf(videoId));
  }

  @Put('videos/:videoId')
  putVideo(@CurrentPrincipal() principal: Principal, @Param('videoId') videoId: string, @Body() body: unknown) {
    return this.settings.putVideo(principal, videoIdOf(videoId), body);
  }

  @Delete('videos/:videoId')
  @HttpCode(204)
  async deleteVideo(@CurrentPrincipal() principal: Principal, @Param('videoId') videoId: string) {
    await this.settings.deleteVideo(principal, videoIdOf(videoId));
  }
}
