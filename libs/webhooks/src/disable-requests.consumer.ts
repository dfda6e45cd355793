import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { describeIssues, disableWebhookRequestSchema } from '@herald/contracts';
import { KafkaRuntime, type ConsumedMessage } from '@herald/kafka';
import { describeJsonError, LOGGER } from '@herald/observability';
import { DisableWebhookUseCase } from './usecases/disable-webhook/disable-webhook.usecase';

/** Applies the deliverer's requests to disable webhooks (`webhooks.disable-requests`). */
@Injectable()
export class DisableRequestsConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly runtime: KafkaRuntime,
    private readonly disable: DisableWebhookUseCase,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const client = this.runtime.client;
    await this.runtime
      .consumer({
        groupId: `${client.settings.topicPrefix}herald-subscription-api-disable-requests`,
        topics: [client.topics.disableRequests],
        concurrency: 1,
        handle: (message) => this.handle(message),
      })
      .start();
  }

  private async handle(message: ConsumedMessage): Promise<void> {
    let parsed;
    try {
      parsed = disableWebhookRequestSchema.safeParse(JSON.parse(message.value?.toString('utf8') ?? ''));
    } catch (error) {
      return this.deadLetter(message, `value is not valid JSON: ${describeJsonError(error)}`);
    }
    if (!parsed.success) return this.deadLetter(message, `not a valid disable request: ${describeIssues(parsed.error)}`);
    const { disabled } = await this.disable.execute(parsed.data);
    this.logger.info({ webhookId: parsed.data.webhookId, disabled, reason: parsed.data.reason }, 'disable request applied');
  }

  private async deadLetter(message: ConsumedMessage, reason: string): Promise<void> {
    this.logger.warn({ offset: message.offset, reason }, 'disable request dead-lettered');
    await this.runtime.client.deadLetter(this.runtime.client.topics.deliveriesDlq, message, reason);
  }
}
