// kafkajs 2.2.4 (its last release) keeps idle processes awake: a 1 ms re-armed check (tulios/kafkajs#1556,
// never released) and a request-timeout sweep per connection. Both are armed here only while requests are pending.
import { version as kafkajsVersion } from 'kafkajs/package.json';

/** The RequestQueue internals the fix touches (kafkajs/src/network/requestQueue). */
interface InflightRequest {
  sentAt: number;
  requestTimeout: number;
  timeoutRequest(): void;
}

interface RequestQueueInternals {
  pending: unknown[];
  inflight: Map<number, InflightRequest>;
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  requestTimeoutIntervalId: NodeJS.Timeout | undefined;
  /** When the armed sweep runs (epoch ms); added by the fix. */
  sweepAt?: number;
  enforceRequestTimeout: boolean;
  requestTimeout: number;
  isConnected(): boolean;
  destroy(): void;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
  scheduleRequestTimeoutCheck(): void;
  sendSocketRequest(request: unknown): void;
}

export const KAFKAJS_FIXED_VERSION = '2.2.4';
/** kafkajs's own retry cadence for queued (throttled or over-limit) requests. */
const PENDING_CHECK_MS = 10;
/** How late past its deadline a timed-out request may be rejected (one timer covers close deadlines). */
export const REQUEST_TIMEOUT_SLACK_MS = 100;

export const RequestQueue = require('kafkajs/src/network/requestQueue') as { prototype: RequestQueueInternals };

let applied = false;

/** Applies the fix (idempotent); refuses a kafkajs other than the one it was written for. */
export function applyKafkajsIdleFix(): void {
  if (applied) return;
  if (kafkajsVersion !== KAFKAJS_FIXED_VERSION) {
    throw new Error(
      `kafkajs ${kafkajsVersion} installed; the idle fix is written for ${KAFKAJS_FIXED_VERSION}: re-check kafkajs-idle-fix.ts`,
    );
  }
  applied = true;
  RequestQueue.prototype.scheduleCheckPendingRequests = function (this: RequestQueueInternals) {
    // Responses (fulfillRequest) and push() call checkPendingRequests again; a timer is only
    // needed for requests left waiting on a throttle or the in-flight limit.
    if (this.throttleCheckTimeoutId || this.pending.length === 0) return;
    const throttled = this.throttledUntil - Date.now();
    this.throttleCheckTimeoutId = setTimeout(
      () => {
        this.throttleCheckTimeoutId = null;
        this.checkPendingRequests();
      },
      throttled > 0 ? throttled : PENDING_CHECK_MS,
    );
  };
  // Called on connect: nothing is in flight yet; sending arms the sweep.
  RequestQueue.prototype.scheduleRequestTimeoutCheck = function (this: RequestQueueInternals) {
    this.destroy();
    this.requestTimeoutIntervalId = undefined;
  };
  const sendSocketRequest = RequestQueue.prototype.sendSocketRequest;
  RequestQueue.prototype.sendSocketRequest = function (this: RequestQueueInternals, request: unknown) {
    sendSocketRequest.call(this, request);
    const sent = request as Partial<InflightRequest>;
    if (!this.enforceRequestTimeout || sent.sentAt == null || sent.requestTimeout == null) return;
    const deadline = sent.sentAt + sent.requestTimeout;
    // A shorter timeout than the armed sweep's (e.g. a heartbeat behind a long fetch) re-arms it.
    if (this.requestTimeoutIntervalId === undefined || deadline < (this.sweepAt ?? Infinity)) {
      clearTimeout(this.requestTimeoutIntervalId);
      armSweep(this, deadline - Date.now());
    }
  };
}

function armSweep(queue: RequestQueueInternals, inMs: number): void {
  const delay = Math.max(0, inMs) + REQUEST_TIMEOUT_SLACK_MS;
  queue.sweepAt = Date.now() + delay;
  queue.requestTimeoutIntervalId = setTimeout(() => sweepRequestTimeouts(queue), delay);
}

/** Times out what is past its deadline, then sleeps until the earliest deadline still in flight. */
function sweepRequestTimeouts(queue: RequestQueueInternals): void {
  queue.requestTimeoutIntervalId = undefined;
  const now = Date.now();
  let next = Infinity;
  queue.inflight.forEach((request) => {
    const left = request.sentAt + request.requestTimeout - now;
    if (left < 0) request.timeoutRequest();
    else next = Math.min(next, left);
  });
  if (!queue.isConnected()) {
    queue.destroy();
    return;
  }
  if (next !== Infinity) armSweep(queue, next);
}
