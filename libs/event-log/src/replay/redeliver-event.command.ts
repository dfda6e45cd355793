import { z } from 'zod';
import type { DeliveryTask } from '@herald/contracts';
import type { Principal } from '@herald/http';
import { idField } from '../common/query-fields';

/** The request body of a redelivery (REST validates against it). */
export const redeliverEventSchema = z.strictObject({ webhookId: idField('webhookId').optional() });

export interface RedeliverEventCommand {
  principal: Principal;
  eventId: string;
  /** Only this webhook; otherwise every webhook the event was delivered to. */
  webhookId?: string;
}

export interface RedeliverEventResult {
  eventId: string;
  deliveries: Pick<DeliveryTask, 'deliveryId' | 'webhookId' | 'replayOf' | 'trigger'>[];
}
