import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { DataSource, Repository } from 'typeorm';
import { assertSessionEventTypes, badRequest, notFound } from '@herald/http';
import { LOGGER } from '@herald/observability';
import { EVENT_LOG_OPTIONS, type EventLogOptions } from '../event-log.options';
import { EventEntity, envelopeFrom } from '../events/event.entity';
import type { RecoverWebhookCommand, RecoverWebhookResult } from './recover-webhook.command';
import { Recovery, toRecoveryResponse, type RecoveryCursor } from './recovery.entity';
import { RecoveryClaims } from './recovery-claims';
import { visibleWebhooks } from '../common/session-subset';
import { ORIGINAL_DELIVERY_SQL, ReplayDeliveries } from './replay-deliveries';

const PAGE = 100;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface FailedDelivery {
  event_id: string;
  started_at: Date;
  original: string;
}

// Resends events whose latest attempt since `since` failed, even with a retry pending (at-least-once
// allows the second copy). Only attempts made before the job started count, so its own failures are
// not resent; saved progress lets a restart or another replica (RecoveryClaims) carry on.
@Injectable()
export class RecoverWebhookUseCase implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly running = new Map<string, Promise<void>>();
  private stopping = false;
  private readonly claims: RecoveryClaims;
  private sweepTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(Recovery) private readonly recoveries: Repository<Recovery>,
    private readonly replays: ReplayDeliveries,
    @Inject(EVENT_LOG_OPTIONS) private readonly options: EventLogOptions,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.claims = new RecoveryClaims(dataSource);
  }

  async execute(command: RecoverWebhookCommand): Promise<RecoverWebhookResult> {
    const { principal, webhookId, since } = command;
    const now = new Date();
    const until = command.until && command.until < now ? command.until : now;
    if (since >= until) throw badRequest('since must be earlier than until (and than now)');
    const max = this.options.recoveryMaxRatePerSecond;
    const rate = command.ratePerSecond ?? max;
    if (rate > max) throw badRequest(`ratePerSecond must be at most ${max}`);
    const [{ known }] = await this.dataSource.query(
      'SELECT EXISTS (SELECT 1 FROM delivery_attempts WHERE tenant_id = $1 AND webhook_id = $2) AS known',
      [principal.tenantId, webhookId],
    );
    const shown = (await visibleWebhooks(this.dataSource, principal, [webhookId])).has(webhookId);
    if (!known || !shown) throw notFound(`Deliveries to webhook ${webhookId}`);
    if (principal.session?.eventTypes) {
      // A session limited to event types may resend only those: the window must hold no other type.
      const types: { event_type: string }[] = await this.dataSource.query(
        `SELECT DISTINCT event_type FROM delivery_attempts
          WHERE tenant_id = $1 AND webhook_id = $2 AND started_at >= $3 AND started_at < $4`,
        [principal.tenantId, webhookId, since, until],
      );
      assertSessionEventTypes(
        principal,
        types.map((t) => t.event_type),
      );
    }
    const recovery = this.recoveries.create({
      recoveryId: `rcv_${randomUUID().replace(/-/g, '')}`,
      tenantId: principal.tenantId,
      webhookId,
      since,
      until,
      ratePerSecond: rate,
      status: 'running',
      cursor: null,
      scheduled: 0,
      error: null,
      requestedBy: principal.keyId,
      createdAt: now,
      finishedAt: null,
    });
    await this.recoveries.insert(recovery);
    this.launch(recovery.recoveryId);
    return toRecoveryResponse(recovery);
  }

  /** Carries on with jobs left unfinished by a stopped replica, now and whenever a lease expires. */
  async onApplicationBootstrap(): Promise<void> {
    await this.adoptOrphans();
    this.sweepTimer = setInterval(() => {
      this.adoptOrphans().catch((error) => this.logger.warn({ err: error }, 'recovery sweep failed'));
    }, this.claims.leaseMs);
    this.sweepTimer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    await Promise.allSettled([...this.running.values()]);
  }

  private async adoptOrphans(): Promise<void> {
    if (this.stopping) return;
    for (const recoveryId of await this.claims.orphans()) this.launch(recoveryId);
  }

  /** Resolves when the job is done (for tests and shutdown). */
  whenDone(recoveryId: string): Promise<void> {
    return this.running.get(recoveryId) ?? Promise.resolve();
  }

  private launch(recoveryId: string): void {
    if (this.running.has(recoveryId)) return;
    const job = this.claimAndRun(recoveryId)
      .catch(async (error: Error) => {
        this.logger.error({ err: error, recoveryId }, 'recovery failed');
        await this.recoveries.update(recoveryId, { status: 'failed', error: error.message, finishedAt: new Date() });
      })
      .finally(() => this.running.delete(recoveryId));
    this.running.set(recoveryId, job);
  }

  private async claimAndRun(recoveryId: string): Promise<void> {
    if (!(await this.claims.claim(recoveryId))) return; // another replica runs it
    // Read after claiming: the progress saved by whoever ran it before.
    const recovery = await this.recoveries.findOneByOrFail({ recoveryId });
    await this.run(recovery);
  }

  private async run(recovery: Recovery): Promise<void> {
    const intervalMs = 1000 / recovery.ratePerSecond;
    let cursor: RecoveryCursor | null = recovery.cursor;
    let scheduled = recovery.scheduled;
    let nextAt = 0; // when the next resend may go: the previous one's requestedAt + the interval
    let renewedAt = Date.now();
    // Saves progress and keeps the lease; false: another replica has taken the job over.
    const keep = async () => {
      renewedAt = Date.now();
      return this.claims.renew(recovery.recoveryId, cursor, scheduled);
    };
    for (;;) {
      if (this.stopping) return; // left 'running': resumed at the next start
      const failed = await this.failedDeliveries(recovery, cursor);
      if (failed.length === 0) break;
      const events = await this.loadEvents(
        recovery.tenantId,
        failed.map((f) => f.event_id),
      );
      for (const delivery of failed) {
        if (this.stopping) return;
        const event = events.get(delivery.event_id);
        if (event) {
          // The rate bound, between the times the resends record (a slow query cannot bunch them).
          for (let wait = nextAt - Date.now(); wait > 0; wait = nextAt - Date.now()) await sleep(wait);
          if (Date.now() - renewedAt > this.claims.leaseMs / 3 && !(await keep())) return;
          const [task] = await this.replays.send(
            [{ event: envelopeFrom(event), webhookId: recovery.webhookId, replayOf: delivery.original }],
            'recovery',
            recovery.requestedBy,
            recovery.recoveryId,
          );
          nextAt = task.notBefore + intervalMs;
          scheduled += 1;
        }
        cursor = { startedAt: delivery.started_at.toISOString(), eventId: delivery.event_id };
      }
      if (!(await keep())) return;
    }
    await this.recoveries.update(recovery.recoveryId, {
      status: 'completed',
      cursor,
      scheduled,
      finishedAt: new Date(),
    });
    this.logger.info(
      { recoveryId: recovery.recoveryId, webhookId: recovery.webhookId, scheduled },
      'recovery completed',
    );
  }

  /** The next page of events whose latest attempt (before the job began) failed. */
  private failedDeliveries(recovery: Recovery, cursor: RecoveryCursor | null): Promise<FailedDelivery[]> {
    const params: unknown[] = [
      recovery.tenantId,
      recovery.webhookId,
      recovery.since,
      recovery.until ?? recovery.createdAt,
    ];
    const after = cursor ? `AND (latest.started_at, latest.event_id) > ($5, $6)` : '';
    if (cursor) params.push(new Date(cursor.startedAt), cursor.eventId);
    return this.dataSource.query(
      `SELECT latest.event_id, latest.started_at, latest.original FROM (
         SELECT DISTINCT ON (a.event_id) a.event_id, a.started_at, a.outcome,
                ${ORIGINAL_DELIVERY_SQL('a.delivery_id')} AS original
           FROM delivery_attempts a
          WHERE a.tenant_id = $1 AND a.webhook_id = $2 AND a.started_at >= $3 AND a.started_at < $4
          ORDER BY a.event_id, a.started_at DESC
       ) latest
       WHERE latest.outcome <> 'success' ${after}
       ORDER BY latest.started_at, latest.event_id
       LIMIT ${PAGE}`,
      params,
    );
  }

  private async loadEvents(tenantId: string, eventIds: string[]): Promise<Map<string, EventEntity>> {
    const rows = await this.dataSource
      .getRepository(EventEntity)
      .createQueryBuilder('m')
      .distinctOn(['m.event_id'])
      .where('m.tenant_id = :tenantId AND m.event_id IN (:...eventIds)', { tenantId, eventIds })
      .orderBy('m.event_id')
      .addOrderBy('m.received_at', 'DESC')
      .getMany();
    return new Map(rows.map((r) => [r.eventId, r]));
  }
}
