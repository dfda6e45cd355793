import { EventEmitter } from 'node:events';
import type { Consumer } from 'kafkajs';
import pino from 'pino';
import { restartOnCrash } from './crash-restart';

/** The two parts of a kafkajs consumer restartOnCrash uses. */
function fakeConsumer() {
  const emitter = new EventEmitter();
  const consumer = {
    events: { CRASH: 'consumer.crash' },
    on: (name: string, listener: (event: unknown) => void) => emitter.on(name, listener),
    disconnect: jest.fn(async () => undefined),
  };
  const crash = (restart: boolean) =>
    emitter.emit('consumer.crash', { payload: { error: new Error('Failed to find group coordinator'), restart } });
  return { consumer: consumer as unknown as Consumer, crash, disconnect: consumer.disconnect };
}

const logger = pino({ level: 'silent' });

describe('restartOnCrash', () => {
  it('rebuilds a consumer kafkajs gave up on, retrying until the rebuild succeeds', async () => {
    const { consumer, crash, disconnect } = fakeConsumer();
    const states: (string | null)[] = [];
    let calls = 0;
    const restarted = new Promise<void>((resolve) => {
      restartOnCrash(consumer, {
        name: 'test',
        logger,
        stopping: () => false,
        restart: async () => {
          calls += 1;
          if (calls === 1) throw new Error('broker still down');
        },
        onState: (error) => {
          states.push(error ? error.message : null);
          if (!error) resolve();
        },
      });
    });
    crash(false);
    await restarted;
    expect(calls).toBe(2);
    expect(disconnect).toHaveBeenCalled();
    expect(states).toEqual(['Failed to find group coordinator', 'broker still down', null]);
  }, 10_000);

  it('leaves alone a crash kafkajs restarts itself, and any crash while stopping', async () => {
    for (const [restartedByKafkajs, stopping] of [
      [true, false],
      [false, true],
    ]) {
      const { consumer, crash } = fakeConsumer();
      const restart = jest.fn(async () => undefined);
      restartOnCrash(consumer, { name: 'test', logger, stopping: () => stopping, restart, onState: () => undefined });
      crash(restartedByKafkajs);
      await new Promise((resolve) => setTimeout(resolve, 1200));
      expect(restart).not.toHaveBeenCalled();
    }
  }, 10_000);
});
