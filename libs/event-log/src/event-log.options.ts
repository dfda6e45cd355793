export const EVENT_LOG_OPTIONS = Symbol('EVENT_LOG_OPTIONS');

export interface EventLogOptions {
  /** Days of messages, attempts and audit records kept; older daily partitions are dropped. */
  retentionDays: number;
  /** How often partitions are created ahead and retention runs. */
  maintenanceIntervalMs: number;
  /** Highest rate (deliveries/second) a recovery may resend at; a request may ask for less. */
  recoveryMaxRatePerSecond: number;
}
