import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { TestSend } from '../../test-send';
import { WebhookQueries } from '../../webhook-queries';
import { WebhookUrlPolicy } from '../../webhook-url-policy';
import { toWebhookSnapshot } from '../../webhook.dto';
import { WEBHOOKS_OPTIONS, type WebhooksOptions } from '../../webhooks.options';
import type { SendTestEventCommand, SendTestEventResult } from './send-test-event.command';

/** A test event to a saved webhook, whatever its status (see TestSend). */
@Injectable()
export class SendTestEventUseCase implements OnApplicationShutdown {
  private readonly tester: TestSend;

  constructor(
    private readonly queries: WebhookQueries,
    urlPolicy: WebhookUrlPolicy,
    @Inject(WEBHOOKS_OPTIONS) options: WebhooksOptions,
  ) {
    this.tester = new TestSend(urlPolicy, options);
  }

  async execute({ principal, webhookId, input }: SendTestEventCommand): Promise<SendTestEventResult> {
    const webhook = await this.queries.get(principal, webhookId);
    return { webhookId: webhook.id, ...(await this.tester.send(toWebhookSnapshot(webhook), input)) };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.tester.close();
  }
}
