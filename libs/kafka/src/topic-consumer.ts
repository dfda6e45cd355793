import type { z } from 'zod';
import { describeIssues, type TopicContract } from '@herald/contracts';
import { describeJsonError } from '@herald/observability';
import type { ConsumedMessage, ConsumerLoopOptions, Settling } from './consumer-loop';

/** A handler for the values of one topic, already parsed and validated by its contract. */
export interface TopicHandler<S extends z.ZodType = z.ZodType> {
  contract: TopicContract<S>;
  handle: (value: z.output<S>, message: ConsumedMessage) => Promise<void | Settling>;
}

export function onTopic<S extends z.ZodType>(
  contract: TopicContract<S>,
  handle: TopicHandler<S>['handle'],
): TopicHandler<S> {
  return { contract, handle };
}

export interface TopicConsumerOptions extends Omit<ConsumerLoopOptions, 'topics' | 'handle'> {
  handlers: TopicHandler[];
  /** The warning logged for a dead-lettered record; `<what the contract describes> dead-lettered` by default. */
  deadLetterLog?: string;
  /** Told of each record sent to a dead-letter topic (after it is there). */
  deadLettered?: (message: ConsumedMessage, reason: string) => void;
}

/** The record's value, or why it cannot be read (not JSON, or not what the contract describes). */
export function readRecord<S extends z.ZodType>(
  contract: TopicContract<S>,
  message: ConsumedMessage,
): { ok: true; value: z.output<S> } | { ok: false; reason: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(message.value?.toString('utf8') ?? '');
  } catch (error) {
    return { ok: false, reason: `value is not valid JSON: ${describeJsonError(error)}` };
  }
  const parsed = contract.schema.safeParse(raw);
  if (!parsed.success)
    return { ok: false, reason: `not a valid ${contract.describes}: ${describeIssues(parsed.error)}` };
  return { ok: true, value: parsed.data };
}
