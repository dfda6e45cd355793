import type { Response } from 'express';
import type { EventEnvelope } from '@herald/contracts';
import type { Principal } from '@herald/http';
import { MetricsService } from '@herald/observability';
import { controllerRoutes, documentedRoutes } from '@herald/openapi';
import { EventsController } from '../events.controller';
import { IngestMetrics } from '../ingest-metrics';
import type { IngestEventResult } from '../usecases/ingest-event/ingest-event.command';
import type { IngestEventUseCase } from '../usecases/ingest-event/ingest-event.usecase';
import { acceptedEventSchema, ingestApiPart } from './api-operations';

const envelope: EventEnvelope = {
  eventId: 'evt_1',
  eventType: 'order.created',
  tenantId: 'acme',
  occurredAt: '2026-12-03T06:00:00.000Z',
  receivedAt: '2026-12-03T06:00:00.001Z',
  source: 'http',
  schemaVersion: 1,
  data: {},
};

/** What EventsController answers (status and JSON body) when the use case gives `result`. */
async function answer(result: IngestEventResult) {
  const sent: { status?: number; body?: unknown } = {};
  const res = {
    status: (status: number) => ((sent.status = status), res),
    set: () => res,
    json: (body: unknown) => ((sent.body = body), res),
  } as unknown as Response;
  const useCase = { execute: async () => result } as unknown as IngestEventUseCase;
  const controller = new EventsController(useCase, new IngestMetrics(new MetricsService('test')));
  await controller.publish({ eventType: 'order.created' }, { tenantId: 'acme' } as Principal, res);
  return sent;
}

describe("event-ingest's share of the OpenAPI document", () => {
  it('describes exactly the routes the controller serves', () => {
    expect(documentedRoutes(ingestApiPart.operations)).toEqual(controllerRoutes([EventsController]));
  });

  it('describes the 202 and the 200 replay as the controller answers them', async () => {
    const accepted = await answer({ outcome: 'accepted', event: envelope });
    expect(accepted.status).toBe(202);
    expect(acceptedEventSchema.parse(accepted.body)).toEqual(accepted.body);
    const first = { eventId: 'evt_0', acceptedAt: '2026-12-03T05:00:00.000Z' } as never;
    const replay = await answer({ outcome: 'duplicate', event: envelope, first });
    expect(replay.status).toBe(200);
    expect(acceptedEventSchema.parse(replay.body)).toMatchObject({ eventId: 'evt_0', duplicate: true });
    const [publish] = ingestApiPart.operations;
    expect([publish.success.status, ...(publish.alternatives ?? []).map((a) => a.status)]).toEqual([202, 200]);
  });
});
