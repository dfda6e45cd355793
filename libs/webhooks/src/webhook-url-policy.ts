import { Inject, Injectable } from '@nestjs/common';
import { AddressPolicy, SsrfBlockedError, assertPublicUrl } from '@herald/ssrf';
import { badRequest } from '@herald/http';
import { WEBHOOKS_OPTIONS, type WebhooksOptions } from './webhooks.options';

/**
 * Creation-time checks (https; no private, loopback, link-local or metadata host unless allow-listed): the
 * early, clear refusal. The deliverer checks again after its own resolution at send time.
 */
@Injectable()
export class WebhookUrlPolicy {
  private readonly addresses: AddressPolicy;

  constructor(@Inject(WEBHOOKS_OPTIONS) private readonly options: WebhooksOptions) {
    this.addresses = new AddressPolicy(options.allowedTargetCidrs);
  }

  async check(url: string): Promise<void> {
    if (this.options.httpsOnly && !url.startsWith('https://')) {
      throw badRequest('url must use https:// (this deployment refuses plain http:// webhook URLs)');
    }
    try {
      await assertPublicUrl(url, { allow: this.addresses, resolve: this.options.resolve });
    } catch (error) {
      if (error instanceof SsrfBlockedError) {
        throw badRequest(`${error.message}; such targets are refused unless an operator allow-lists the range`);
      }
      throw error;
    }
  }
}
