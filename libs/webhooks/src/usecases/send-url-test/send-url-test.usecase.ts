import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { webhookSnapshotSchema } from '@herald/contracts';
import { generateSecret } from '@herald/signing';
import { TestSend } from '../../test-send';
import { WebhookUrlPolicy } from '../../webhook-url-policy';
import { WEBHOOKS_OPTIONS, type WebhooksOptions } from '../../webhooks.options';
import type { SendUrlTestCommand, SendUrlTestResult } from './send-url-test.command';

/** A test event to a URL before it is saved: same SSRF guard and signing as a delivery, nothing stored. */
@Injectable()
export class SendUrlTestUseCase implements OnApplicationShutdown {
  private readonly tester: TestSend;

  constructor(urlPolicy: WebhookUrlPolicy, @Inject(WEBHOOKS_OPTIONS) options: WebhooksOptions) {
    this.tester = new TestSend(urlPolicy, options);
  }

  async execute({ principal, input }: SendUrlTestCommand): Promise<SendUrlTestResult> {
    const secret = generateSecret();
    const snapshot = webhookSnapshotSchema.parse({
      webhookId: 'unsaved',
      tenantId: principal.tenantId,
      version: 0,
      status: 'ACTIVE',
      url: input.url,
      events: [],
      secrets: [{ secret, expiresAt: null }],
      updatedAt: new Date().toISOString(),
      staticKey: input.staticKey ?? null,
    });
    const { url: _url, staticKey: _key, ...event } = input;
    return { ...(await this.tester.send(snapshot, event)), secret };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.tester.close();
  }
}
