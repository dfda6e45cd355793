import { version } from 'kafkajs/package.json';
import { KAFKAJS_FIXED_VERSION, REQUEST_TIMEOUT_SWEEP_MS, RequestQueue, applyKafkajsIdleFix } from './kafkajs-idle-fix';

type Queue = InstanceType<new (options: object) => Record<string, any>>;
const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const newQueue = (): Queue =>
  new (RequestQueue as unknown as new (options: object) => Queue)({
    maxInFlightRequests: 1,
    requestTimeout: 30_000,
    enforceRequestTimeout: true,
    clientId: 'fix-test',
    broker: '127.0.0.1:1',
    logger,
  });

describe('kafkajs idle fix (RequestQueue timers)', () => {
  beforeAll(() => applyKafkajsIdleFix());

  it('is written for the installed kafkajs', () => {
    expect(version).toBe(KAFKAJS_FIXED_VERSION);
  });

  it('arms no timer when nothing is pending (kafkajs re-armed a 1 ms one forever)', () => {
    const queue = newQueue();
    queue.checkPendingRequests();
    expect(queue.throttleCheckTimeoutId).toBeNull();
    queue.destroy();
  });

  it('still sends a request queued behind a throttle once it lifts', async () => {
    const queue = newQueue();
    const sent: number[] = [];
    queue.pending.push({ correlationId: 7, expectResponse: true, send: () => sent.push(Date.now()) });
    const until = Date.now() + 50;
    queue.throttledUntil = until;
    queue.scheduleCheckPendingRequests();
    expect(queue.throttleCheckTimeoutId).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toBeGreaterThanOrEqual(until);
    expect(queue.pending).toHaveLength(0);
    expect(queue.throttleCheckTimeoutId).toBeNull();
    queue.destroy();
  });

  it('sweeps request timeouts every second, and still times a stale request out', () => {
    jest.useFakeTimers();
    try {
      const queue = newQueue();
      const timedOut: number[] = [];
      queue.inflight.set(1, { sentAt: Date.now(), requestTimeout: 30_000, timeoutRequest: () => timedOut.push(1) });
      queue.scheduleRequestTimeoutCheck();
      jest.advanceTimersByTime(29_000);
      expect(timedOut).toHaveLength(0);
      jest.advanceTimersByTime(2 * REQUEST_TIMEOUT_SWEEP_MS);
      expect(timedOut.length).toBeGreaterThanOrEqual(1);
      expect(jest.getTimerCount()).toBe(1);
      queue.destroy();
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });
});
