/** The API representations the portal reads, as the SDK types them from the OpenAPI document. */
import type { Schema } from '@herald/sdk';

export type Webhook = Schema<'Webhook'>;
export type WebhookStatus = Webhook['status'];
export type Attempt = Schema<'Attempt'>;
export type AttemptOutcome = Attempt['outcome'];
export type Recovery = Schema<'Recovery'>;
export type EventType = Schema<'EventType'>;
export type TestResult = Schema<'TestEventResult'>;
