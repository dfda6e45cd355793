import {
  Controller,
  Get,
  Inject,
  Injectable,
  Module,
  Param,
  Query,
  UseGuards,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectRepository, TypeOrmModule } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { DataSource, Repository } from 'typeorm';
import { z } from 'zod';
import { attemptOutcomeSchema, attemptRecordSchema, describeIssues } from '@herald/contracts';
import { ApiKeyGuard, CurrentPrincipal, badRequest, notFound, parseInput, type Principal } from '@herald/http';
import { KafkaRuntime, type ConsumedMessage } from '@herald/kafka';
import { LOGGER, MetricsService } from '@herald/observability';
import { ensureAttemptPartitions } from './attempt-partitions';
import { BatchWriter } from './batch-writer';
import { DeliveryAttempt, attemptRowFrom, toAttemptResponse } from './delivery-attempt.entity';

/** Stores attempts from `webhooks.attempts`; an offset is committed only after its row is written. */
@Injectable()
class AttemptsConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly writer: BatchWriter<DeliveryAttempt>;
  private partitionTimer: NodeJS.Timeout | null = null;
  private readonly stored;

  constructor(
    private readonly runtime: KafkaRuntime,
    private readonly dataSource: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: MetricsService,
  ) {
    this.stored = metrics.counter({ name: 'herald_attempts_stored_total', help: 'Attempt records written to PostgreSQL' });
    this.writer = new BatchWriter(async (rows) => {
      // ON CONFLICT DO NOTHING: replaying the topic leaves the table unchanged.
      await this.dataSource.createQueryBuilder().insert().into(DeliveryAttempt).values(rows).orIgnore().execute();
      this.stored.inc(rows.length);
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await ensureAttemptPartitions(this.dataSource);
    this.partitionTimer = setInterval(() => {
      ensureAttemptPartitions(this.dataSource).catch((error) => this.logger.warn({ err: error }, 'partition upkeep failed'));
    }, 3_600_000);
    const client = this.runtime.client;
    const loop = this.runtime.consumer({
      groupId: `${client.settings.topicPrefix}herald-audit-log`,
      topics: [client.topics.attempts],
      concurrency: 500,
      commitIntervalMs: 100,
      handle: (message) => this.handle(message),
    });
    await loop.start();
  }

  onApplicationShutdown(): void {
    if (this.partitionTimer) clearInterval(this.partitionTimer);
  }

  private async handle(message: ConsumedMessage): Promise<void> {
    let parsed;
    try {
      parsed = attemptRecordSchema.safeParse(JSON.parse(message.value?.toString('utf8') ?? ''));
    } catch (error) {
      this.logger.error({ offset: message.offset, err: error }, 'attempt record is not JSON; skipped');
      return;
    }
    if (!parsed.success) {
      this.logger.error({ offset: message.offset, reason: describeIssues(parsed.error) }, 'invalid attempt record; skipped');
      return;
    }
    await this.writer.add(attemptRowFrom(parsed.data));
  }
}

const listAttemptsQuery = z.strictObject({
  webhookId: z.string().max(64).optional(),
  eventId: z.string().max(128).optional(),
  outcome: attemptOutcomeSchema.optional(),
  since: z.iso.datetime({ offset: true, error: 'since must be an ISO 8601 date-time' }).optional(),
  until: z.iso.datetime({ offset: true, error: 'until must be an ISO 8601 date-time' }).optional(),
  limit: z.coerce.number().int().min(1, 'limit must be 1-100').max(100, 'limit must be 1-100').default(50),
  cursor: z.string().max(200).optional(),
});

function decodeCursor(cursor: string): { startedAt: Date; attemptId: string } {
  const [time, attemptId] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const startedAt = new Date(time);
  if (!attemptId || Number.isNaN(startedAt.getTime())) throw badRequest('cursor is not valid');
  return { startedAt, attemptId };
}

@Controller('v1/attempts')
@UseGuards(ApiKeyGuard)
class AttemptsController {
  constructor(@InjectRepository(DeliveryAttempt) private readonly attempts: Repository<DeliveryAttempt>) {}

  /** Newest first; cursor pagination on (startedAt, attemptId). */
  @Get()
  async list(@CurrentPrincipal() principal: Principal, @Query() raw: unknown) {
    const query = parseInput(listAttemptsQuery, raw, 'query');
    const qb = this.attempts
      .createQueryBuilder('a')
      .where('a.tenant_id = :tenant', { tenant: principal.tenantId })
      .orderBy('a.started_at', 'DESC')
      .addOrderBy('a.attempt_id', 'DESC')
      .limit(query.limit + 1);
    if (query.webhookId) qb.andWhere('a.webhook_id = :webhookId', { webhookId: query.webhookId });
    if (query.eventId) qb.andWhere('a.event_id = :eventId', { eventId: query.eventId });
    if (query.outcome) qb.andWhere('a.outcome = :outcome', { outcome: query.outcome });
    if (query.since) qb.andWhere('a.started_at >= :since', { since: query.since });
    if (query.until) qb.andWhere('a.started_at < :until', { until: query.until });
    if (query.cursor) {
      const c = decodeCursor(query.cursor);
      qb.andWhere('(a.started_at, a.attempt_id) < (:cs, :ci)', { cs: c.startedAt, ci: c.attemptId });
    }
    const rows = await qb.getMany();
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      data: page.map(toAttemptResponse),
      nextCursor:
        rows.length > query.limit
          ? Buffer.from(`${last.startedAt.toISOString()}|${last.attemptId}`).toString('base64url')
          : null,
    };
  }

  @Get(':attemptId')
  async get(@CurrentPrincipal() principal: Principal, @Param('attemptId') attemptId: string) {
    const row = await this.attempts.findOne({ where: { attemptId, tenantId: principal.tenantId } });
    if (!row) throw notFound(`Attempt ${attemptId}`);
    return toAttemptResponse(row);
  }
}

export const eventLogEntities = [DeliveryAttempt];

@Module({
  imports: [TypeOrmModule.forFeature([DeliveryAttempt])],
  controllers: [AttemptsController],
  providers: [AttemptsConsumer],
})
export class EventLogModule {}
