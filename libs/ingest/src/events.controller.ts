import { Body, Controller, Post, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { ApiKeyGuard, CurrentPrincipal, HeraldError, badRequest, type Principal } from '@herald/http';
import { IngestMetrics } from './ingest-metrics';
import { IngestEventUseCase } from './usecases/ingest-event/ingest-event.usecase';

@Controller('v1/events')
@UseGuards(ApiKeyGuard)
export class EventsController {
  constructor(
    private readonly ingest: IngestEventUseCase,
    private readonly metrics: IngestMetrics,
  ) {}

  /**
   * Accepts one event: 202 once it is on `webhooks.events`; a repeat of its idempotencyKey is
   * 200 with the first event's id and `Idempotent-Replayed: true`; the key with other content, 409.
   */
  @Post()
  async publish(@Body() body: unknown, @CurrentPrincipal() principal: Principal, @Res() res: Response): Promise<void> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      this.metrics.rejected.inc({ via: 'http' });
      throw badRequest('Invalid request body: must be a JSON object with eventType and tenantId');
    }
    const result = await this.ingest.execute({
      raw: body as Record<string, unknown>,
      via: 'http',
      source: 'http',
      principal,
    });
    switch (result.outcome) {
      case 'invalid':
        throw badRequest(`Invalid event: ${result.reason}`);
      case 'conflict':
        throw new HeraldError('event_idempotency_conflict', result.reason);
      case 'duplicate': {
        const { eventId, acceptedAt } = result.first;
        const replay = { eventId, eventType: result.event.eventType, receivedAt: acceptedAt, duplicate: true };
        res.status(200).set('Idempotent-Replayed', 'true').json(replay);
        return;
      }
      case 'accepted': {
        const { eventId, eventType, receivedAt } = result.event;
        res.status(202).json({ eventId, eventType, receivedAt });
      }
    }
  }
}
