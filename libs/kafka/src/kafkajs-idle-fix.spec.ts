import { version } from 'kafkajs/package.json';
import { KAFKAJS_FIXED_VERSION, REQUEST_TIMEOUT_SLACK_MS, RequestQueue, applyKafkajsIdleFix } from './kafkajs-idle-fix';

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

  /** A request as kafkajs's SocketRequest looks to the queue: sending puts it in flight. */
  const sendRequest = (queue: Queue, correlationId: number, requestTimeout: number, timedOut: number[]) => {
    const request = {
      correlationId,
      expectResponse: true,
      requestTimeout,
      sentAt: 0,
      send() {
        queue.inflight.set(correlationId, request);
        request.sentAt = Date.now();
      },
      timeoutRequest: () => {
        queue.inflight.delete(correlationId);
        timedOut.push(correlationId);
      },
    };
    queue.sendSocketRequest(request);
    return request;
  };

  it('arms no request-timeout timer while nothing is in flight (kafkajs swept every 100 ms)', () => {
    jest.useFakeTimers();
    try {
      const queue = newQueue();
      queue.isConnected = () => true;
      queue.scheduleRequestTimeoutCheck();
      expect(jest.getTimerCount()).toBe(0);
      const timedOut: number[] = [];
      sendRequest(queue, 1, 30_000, timedOut);
      expect(jest.getTimerCount()).toBe(1);
      // Answered: the sweep wakes once, at the deadline, finds nothing and stays disarmed.
      queue.inflight.delete(1);
      jest.advanceTimersByTime(31_000);
      expect(timedOut).toHaveLength(0);
      expect(jest.getTimerCount()).toBe(0);
      queue.destroy();
    } finally {
      jest.useRealTimers();
    }
  });

  it('still times a stale request out, within the slack of its own deadline', () => {
    jest.useFakeTimers();
    try {
      const queue = newQueue();
      queue.isConnected = () => true;
      queue.scheduleRequestTimeoutCheck();
      const timedOut: number[] = [];
      // A long fetch, then a heartbeat with a shorter deadline: the heartbeat's comes first.
      sendRequest(queue, 1, 35_000, timedOut);
      jest.advanceTimersByTime(1000);
      sendRequest(queue, 2, 30_000, timedOut);
      jest.advanceTimersByTime(30_000 - 1);
      expect(timedOut).toHaveLength(0);
      jest.advanceTimersByTime(REQUEST_TIMEOUT_SLACK_MS + 1);
      expect(timedOut).toEqual([2]);
      jest.advanceTimersByTime(4000 + REQUEST_TIMEOUT_SLACK_MS);
      expect(timedOut).toEqual([2, 1]);
      expect(jest.getTimerCount()).toBe(0);
      queue.destroy();
    } finally {
      jest.useRealTimers();
    }
  });

  it('stops sweeping a connection that closed', () => {
    jest.useFakeTimers();
    try {
      const queue = newQueue();
      let connected = true;
      queue.isConnected = () => connected;
      queue.scheduleRequestTimeoutCheck();
      sendRequest(queue, 1, 30_000, []);
      sendRequest(queue, 2, 60_000, []);
      connected = false;
      jest.advanceTimersByTime(30_000 + REQUEST_TIMEOUT_SLACK_MS);
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });
});
