import type { Consumer } from 'kafkajs';
import type { Logger } from 'pino';

export interface CrashRestartOptions {
  /** What the consumer is, for the log. */
  name: string;
  logger: Logger;
  /** Whether the owner is shutting down (then a crash is not restarted). */
  stopping: () => boolean;
  /** Builds, connects and runs a fresh consumer. */
  restart: () => Promise<void>;
  /** Called with the error while the consumer is down, and with null once it runs again. */
  onState: (error: Error | null) => void;
}

/**
 * kafkajs gives up for good on some errors (CRASH with `restart: false`); a service whose consumer
 * silently stopped would still answer HTTP, so the consumer is rebuilt, with backoff.
 */
export function restartOnCrash(consumer: Consumer, options: CrashRestartOptions): void {
  consumer.on(consumer.events.CRASH, (event) => {
    const error = event.payload.error;
    options.logger.error(
      { consumer: options.name, err: error, restartedByKafkajs: event.payload.restart },
      'consumer crashed',
    );
    if (event.payload.restart || options.stopping()) return;
    options.onState(error);
    void rebuild(consumer, options, 1);
  });
}

async function rebuild(old: Consumer, options: CrashRestartOptions, attempt: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, Math.min(1000 * attempt, 10_000)));
  if (options.stopping()) return;
  await old.disconnect().catch(() => undefined);
  try {
    await options.restart();
    options.onState(null);
    options.logger.info({ consumer: options.name, attempt }, 'consumer restarted after crash');
  } catch (error) {
    options.logger.warn({ consumer: options.name, err: error, attempt }, 'consumer restart failed; retrying');
    options.onState(error as Error);
    await rebuild(old, options, attempt + 1);
  }
}
