import { Module } from '@nestjs/common';
import { FanOutEventUseCase } from './fan-out-event.usecase';
import { MatcherConsumer } from './matcher.consumer';

@Module({ providers: [FanOutEventUseCase, MatcherConsumer] })
export class MatchingModule {}
