import { secretBox } from '@herald/secret-box';
import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HeraldError, notFound, parseInput, type Principal } from '@herald/http';
import {
  CreateWebhookUseCase,
  DeleteWebhookUseCase,
  SendUrlTestUseCase,
  UpdateWebhookUseCase,
  createWebhookSchema,
  webhookUrlSchema,
} from '@herald/webhooks';
import {
  MINDSTAMP_EVENTS,
  SEED_PROFILES,
  mindstampRoutesOf,
  mindstampSchemas,
  mindstampTargetOf,
  type MindstampAccountUrls,
  type MindstampKind,
  type MindstampRoute,
  type MindstampVideo,
  type MindstampVideoKinds,
} from '@herald/profiles';
import { ProfileAccess } from '../tenant-profiles/profile-access';

export const mindstamp = SEED_PROFILES.mindstamp;
export const mindstampApi = mindstampSchemas(webhookUrlSchema);

interface AccountRow {
  urls: MindstampAccountUrls;
  x_key: string;
  x_key_generated_at: Date;
  updated_at: Date;
}
interface VideoRow {
  video_id: string;
  kinds: MindstampVideoKinds;
  created_at: Date;
  updated_at: Date;
}
interface ManagedWebhook {
  id: string;
  url: string;
  filter: string | null;
  static_key: string | null;
  metadata: Record<string, string>;
}

const KIND_KEY = 'mindstampKind';
const PART_KEY = 'mindstampPart';
const routeKey = (kind: string, url: string, part: number | string) => `${kind} ${part} ${url}`;
const newXKey = () => `msk_${randomBytes(24).toString('base64url')}`;
const openSealed = (value: string | null) => (value === null ? null : secretBox().open(value));

/**
 * Mindstamp's account and per-video settings, kept as Herald webhooks: one per (kind, target URL)
 * subscribed to the kind, with the account X-KEY and a payload filter naming the opted-in videos.
 */
@Injectable()
export class MindstampSettings {
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly access: ProfileAccess,
    private readonly createWebhook: CreateWebhookUseCase,
    private readonly updateWebhook: UpdateWebhookUseCase,
    private readonly deleteWebhook: DeleteWebhookUseCase,
    private readonly sendUrlTest: SendUrlTestUseCase,
  ) {}

  async integration(principal: Principal) {
    await this.admit(principal);
    const account = await this.account(principal.tenantId);
    return {
      urls: Object.fromEntries(MINDSTAMP_EVENTS.map((k) => [k, account?.urls[k] ?? null])) as Record<
        MindstampKind,
        string | null
      >,
      xKeyGeneratedAt: account?.x_key_generated_at.toISOString() ?? null,
      lastModifiedDate: account?.updated_at.toISOString() ?? null,
    };
  }

  async putIntegration(principal: Principal, body: unknown) {
    await this.admit(principal);
    const { urls } = parseInput(mindstampApi.putIntegration, body);
    await this.locked(principal, async () => {
      await this.ensureAccount(principal.tenantId);
      await this.dataSource.query(
        'UPDATE mindstamp_accounts SET urls = urls || $2::jsonb, updated_at = now() WHERE tenant_id = $1',
        [principal.tenantId, JSON.stringify(urls)],
      );
    });
    return this.integration(principal);
  }

  /** The X-KEY ("shown in settings"); generated on first use. */
  async revealXKey(principal: Principal) {
    await this.admit(principal);
    const account = await this.locked(principal, () => this.ensureAccount(principal.tenantId));
    return { xKey: account.x_key, xKeyGeneratedAt: account.x_key_generated_at.toISOString() };
  }

  /** A new X-KEY, at once on every Mindstamp webhook of the tenant. */
  async rotateXKey(principal: Principal) {
    await this.admit(principal);
    await this.locked(principal, async () => {
      await this.ensureAccount(principal.tenantId);
      await this.dataSource.query(
        'UPDATE mindstamp_accounts SET x_key = $2, x_key_generated_at = now(), updated_at = now() WHERE tenant_id = $1',
        [principal.tenantId, secretBox().seal(newXKey())],
      );
    });
    return this.revealXKey(principal);
  }

  async videos(principal: Principal): Promise<{ data: MindstampVideo[] }> {
    await this.admit(principal);
    const urls = (await this.account(principal.tenantId))?.urls ?? {};
    const rows: VideoRow[] = await this.dataSource.query(
      'SELECT * FROM mindstamp_videos WHERE tenant_id = $1 ORDER BY video_id',
      [principal.tenantId],
    );
    return { data: rows.map((row) => toVideo(row, urls)) };
  }

  async video(principal: Principal, videoId: string): Promise<MindstampVideo> {
    await this.admit(principal);
    const row = await this.videoRow(principal.tenantId, videoId);
    if (!row) throw notFound(`Video ${videoId}`);
    return toVideo(row, (await this.account(principal.tenantId))?.urls ?? {});
  }

  async putVideo(principal: Principal, videoId: string, body: unknown): Promise<MindstampVideo> {
    await this.admit(principal);
    const input = parseInput(mindstampApi.putVideo, body);
    const kinds: MindstampVideoKinds = {};
    for (const kind of MINDSTAMP_EVENTS) {
      const setting = input[kind];
      if (setting) kinds[kind] = { enabled: setting.enabled, url: setting.url ?? null };
    }
    await this.locked(principal, async () => {
      await this.ensureAccount(principal.tenantId);
      await this.dataSource.query(
        `INSERT INTO mindstamp_videos (tenant_id, video_id, kinds) VALUES ($1, $2, $3)
         ON CONFLICT (tenant_id, video_id) DO UPDATE SET kinds = EXCLUDED.kinds, updated_at = now()`,
        [principal.tenantId, videoId, JSON.stringify(kinds)],
      );
    });
    return this.video(principal, videoId);
  }

  async deleteVideo(principal: Principal, videoId: string): Promise<void> {
    await this.admit(principal);
    await this.locked(principal, async () => {
      const deleted = await this.dataSource.query(
        'DELETE FROM mindstamp_videos WHERE tenant_id = $1 AND video_id = $2 RETURNING video_id',
        [principal.tenantId, videoId],
      );
      if (deleted[0].length === 0) throw notFound(`Video ${videoId}`);
    });
  }

  /** "Test" beside a URL not saved yet: a signed sample of the kind, with the account X-KEY; nothing stored. */
  async testUrl(principal: Principal, body: unknown) {
    await this.admit(principal);
    const { url, kind, videoId } = parseInput(mindstampApi.urlTest, body);
    const { xKey } = await this.revealXKey(principal);
    return this.sendUrlTest.execute({
      principal,
      input: { url, eventType: kind, data: { videoId: videoId ?? 'test-video' }, staticKey: xKey },
    });
  }

  private async admit(principal: Principal): Promise<void> {
    await this.access.assertOn(mindstamp, principal);
    if (principal.session?.webhookIds || principal.session?.eventTypes) {
      throw new HeraldError(
        'forbidden',
        'A portal session limited to some webhooks or event types cannot change Mindstamp settings',
      );
    }
  }

  private async account(tenantId: string): Promise<AccountRow | undefined> {
    const [row] = await this.dataSource.query('SELECT * FROM mindstamp_accounts WHERE tenant_id = $1', [tenantId]);
    // The X-KEY is sealed in the row like every webhook secret (see @herald/secret-box).
    return row && { ...row, x_key: secretBox().open(row.x_key) };
  }

  private async ensureAccount(tenantId: string): Promise<AccountRow> {
    await this.dataSource.query(
      'INSERT INTO mindstamp_accounts (tenant_id, x_key) VALUES ($1, $2) ON CONFLICT (tenant_id) DO NOTHING',
      [tenantId, secretBox().seal(newXKey())],
    );
    return (await this.account(tenantId))!;
  }

  private async videoRow(tenantId: string, videoId: string): Promise<VideoRow | undefined> {
    const [row] = await this.dataSource.query('SELECT * FROM mindstamp_videos WHERE tenant_id = $1 AND video_id = $2', [
      tenantId,
      videoId,
    ]);
    return row;
  }

  /** One change at a time per tenant (across replicas), then the tenant's webhooks brought in line. */
  private locked<T>(principal: Principal, change: () => Promise<T>): Promise<T> {
    // Queued in-process first, so waiters for one tenant do not each hold a pooled connection.
    const previous = this.queues.get(principal.tenantId) ?? Promise.resolve();
    const run = previous.then(() => this.lockedAcrossReplicas(principal, change));
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(principal.tenantId, settled);
    void settled.then(() => {
      if (this.queues.get(principal.tenantId) === settled) this.queues.delete(principal.tenantId);
    });
    return run;
  }

  private async lockedAcrossReplicas<T>(principal: Principal, change: () => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    const lock = ['mindstamp', principal.tenantId];
    try {
      await runner.query('SELECT pg_advisory_lock(hashtext($1), hashtext($2))', lock);
      const result = await change();
      await this.sync(principal);
      return result;
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtext($1), hashtext($2))', lock).catch(() => undefined);
      await runner.release();
    }
  }

  private async sync(principal: Principal): Promise<void> {
    const account = await this.account(principal.tenantId);
    if (!account) return;
    const rows: VideoRow[] = await this.dataSource.query('SELECT * FROM mindstamp_videos WHERE tenant_id = $1', [
      principal.tenantId,
    ]);
    const wanted = mindstampRoutesOf(
      account.urls,
      rows.map((r) => ({ videoId: r.video_id, kinds: r.kinds })),
    );
    const existing: ManagedWebhook[] = await this.dataSource.query(
      'SELECT id, url, filter, static_key, metadata FROM webhooks WHERE tenant_id = $1 AND metadata ? $2',
      [principal.tenantId, KIND_KEY],
    );
    const byKey = new Map(existing.map((w) => [routeKey(w.metadata[KIND_KEY], w.url, w.metadata[PART_KEY]), w]));
    for (const route of wanted) {
      const key = routeKey(route.kind, route.url, route.part);
      const current = byKey.get(key);
      byKey.delete(key);
      if (!current) await this.create(principal, route, account.x_key);
      else if (current.filter !== route.filter || openSealed(current.static_key) !== account.x_key) {
        await this.updateWebhook.execute({
          principal,
          webhookId: current.id,
          input: { filter: route.filter, staticKey: account.x_key },
        });
      }
    }
    for (const stale of byKey.values()) await this.deleteWebhook.execute({ principal, webhookId: stale.id });
  }

  private async create(principal: Principal, route: MindstampRoute, xKey: string): Promise<void> {
    const input = {
      name: `Mindstamp ${route.kind}${route.part > 0 ? ` #${route.part + 1}` : ''}`,
      url: route.url,
      events: [route.kind],
      filter: route.filter,
      staticKey: xKey,
      signatureProfiles: [...mindstamp.signatureProfiles],
      metadata: { [KIND_KEY]: route.kind, [PART_KEY]: String(route.part) },
    };
    await this.createWebhook.execute({
      principal,
      input: parseInput(createWebhookSchema, input),
      payloadTenantField: mindstamp.payloadTenantField,
    });
  }
}

function toVideo(row: VideoRow, urls: MindstampAccountUrls): MindstampVideo {
  const kinds = Object.fromEntries(
    MINDSTAMP_EVENTS.map((kind) => {
      const setting = row.kinds[kind];
      return [
        kind,
        {
          enabled: setting?.enabled ?? false,
          url: setting?.url ?? null,
          deliveredTo: mindstampTargetOf(kind, row.kinds, urls),
        },
      ];
    }),
  ) as Pick<MindstampVideo, MindstampKind>;
  return {
    videoId: row.video_id,
    ...kinds,
    creationDate: row.created_at.toISOString(),
    lastModifiedDate: row.updated_at.toISOString(),
  };
}
