/**
 * Two timers of kafkajs 2.2.4 (its last release) that keep an idle process busy, fixed on
 * its RequestQueue, once per process:
 * - after any response, scheduleCheckPendingRequests re-arms a 1 ms timer forever even with
 *   nothing pending (tulios/kafkajs#1556, fix proposed in #1667, never released): ~1,000
 *   wake-ups a second per connection. Now a check is armed only while requests are queued.
 * - the request-timeout sweep runs every 100 ms per connection; every second is enough for a
 *   30 s request timeout.
 */
import { version as kafkajsVersion } from 'kafkajs/package.json';

/** The RequestQueue internals the fix touches (kafkajs/src/network/requestQueue). */
interface RequestQueueInternals {
  pending: unknown[];
  inflight: Map<number, { sentAt: number; requestTimeout: number; timeoutRequest(): void }>;
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  requestTimeoutIntervalId: NodeJS.Timeout | undefined;
  enforceRequestTimeout: boolean;
  requestTimeout: number;
  isConnected(): boolean;
  destroy(): void;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
  scheduleRequestTimeoutCheck(): void;
}

export const KAFKAJS_FIXED_VERSION = '2.2.4';
/** kafkajs's own retry cadence for queued (throttled or over-limit) requests. */
const PENDING_CHECK_MS = 10;
export const REQUEST_TIMEOUT_SWEEP_MS = 1000;

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
  RequestQueue.prototype.scheduleRequestTimeoutCheck = function (this: RequestQueueInternals) {
    if (!this.enforceRequestTimeout) return;
    this.destroy();
    this.requestTimeoutIntervalId = setInterval(
      () => {
        this.inflight.forEach((request) => {
          if (Date.now() - request.sentAt > request.requestTimeout) request.timeoutRequest();
        });
        if (!this.isConnected()) this.destroy();
      },
      Math.min(this.requestTimeout, REQUEST_TIMEOUT_SWEEP_MS),
    );
  };
}
