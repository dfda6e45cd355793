import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiKeyGuard, ApiKeysOnly, CurrentPrincipal, parseInput, type Principal } from '@herald/http';
import { SendUrlTestUseCase, sendUrlTestSchema } from '@herald/webhooks';

/** "Test" beside a URL field before saving (Mindstamp's video settings, any webhook form). */
@Controller('v1/url-tests')
@UseGuards(ApiKeyGuard)
@ApiKeysOnly()
export class UrlTestsController {
  constructor(private readonly sendUrlTest: SendUrlTestUseCase) {}

  @Post()
  @HttpCode(200)
  test(@CurrentPrincipal() principal: Principal, @Body() body: unknown) {
    return this.sendUrlTest.execute({ principal, input: parseInput(sendUrlTestSchema, body) });
  }
}
