import { Module } from '@nestjs/common';
import { FanOutEventUseCase } from './fan-out-event.usecase';
import { MatcherConsumer } from './matcher.consumer';
import { WebhookFilterRunner } from './webhook-filter';

@Module({ providers: [WebhookFilterRunner, FanOutEventUseCase, MatcherConsumer] })
export class MatchingModule {}
