import type { IHeaders } from 'kafkajs';
import type { DeliveryTask, EventEnvelope } from '@herald/contracts';

export interface FanOutEventCommand {
  event: EventEnvelope;
  /** Carried onto each delivery task (the event's traceparent). */
  headers?: IHeaders;
}

/** The delivery tasks published, one per matching active webhook (none: unmatched). */
export interface FanOutEventResult {
  tasks: DeliveryTask[];
  /** Set when the event id was fanned out moments before (e.g. two ingest instances raced on one key). */
  repeated?: true;
}
