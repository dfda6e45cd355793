import type { IHeaders } from 'kafkajs';
import { TopicContracts as C, type TopicNames } from '@herald/contracts';
import type { OutgoingMessage } from '@herald/kafka';
import type { DeliveryStep } from './deliver-attempt.usecase';
import { retryTierFor } from './retry-schedule';

/** Kafka header with a retry's due time (epoch ms), read without parsing the value. */
export const NOT_BEFORE_HEADER = 'herald-not-before';

export type StepBatch = { topic: string; messages: OutgoingMessage[] }[];

/** Every message of one delivery step, for one `sendBatch`; `traceparent` continues the task's trace. */
export function stepMessages(
  step: DeliveryStep,
  topics: TopicNames,
  traceparent?: string,
  now = Date.now(),
): StepBatch {
  const trace: IHeaders = traceparent ? { traceparent } : {};
  const batch: StepBatch = [];
  if (step.attempt)
    batch.push({
      topic: topics[C.attempts.topic],
      messages: [{ key: C.attempts.key(step.attempt), value: step.attempt, headers: trace }],
    });
  const { next } = step;
  if (next.kind === 'park') {
    const { task } = next;
    const tier = retryTierFor(task.notBefore - now);
    const headers = { ...trace, [NOT_BEFORE_HEADER]: String(task.notBefore) };
    batch.push({ topic: topics[tier.topic], messages: [{ key: C.deliveries.key(task), value: task, headers }] });
  } else if (next.kind === 'dead_letter') {
    batch.push({ topic: topics.deadLetters, messages: [{ key: next.letter.task.webhookId, value: next.letter }] });
    batch.push({
      topic: topics[C.notifications.topic],
      messages: [{ key: C.notifications.key(next.notification), value: next.notification }],
    });
  }
  if (step.disable) {
    const { request, notification } = step.disable;
    batch.push({
      topic: topics[C.disableRequests.topic],
      messages: [{ key: C.disableRequests.key(request), value: request }],
    });
    batch.push({
      topic: topics[C.notifications.topic],
      messages: [{ key: C.notifications.key(notification), value: notification }],
    });
  }
  return batch;
}
