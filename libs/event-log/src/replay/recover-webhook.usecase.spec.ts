import type { Logger } from 'pino';
import type { DataSource, Repository } from 'typeorm';
import type { EventLogOptions } from '../event-log.options';
import { recoverWebhookSchema } from './recover-webhook.command';
import { RecoverWebhookUseCase } from './recover-webhook.usecase';
import type { Recovery } from './recovery.entity';
import type { ReplayDeliveries } from './replay-deliveries';

const principal = { tenantId: 'acme', scopes: ['admin'], keyId: 'key_1' };
const hourAgo = () => new Date(Date.now() - 3600_000);

function setUp(known: boolean) {
  const inserted: Recovery[] = [];
  const dataSource = { query: async () => [{ known }] } as unknown as DataSource;
  const recoveries = {
    create: (row: Recovery) => row,
    insert: async (row: Recovery) => void inserted.push(row),
  } as unknown as Repository<Recovery>;
  const useCase = new RecoverWebhookUseCase(
    dataSource,
    recoveries,
    {} as ReplayDeliveries,
    { recoveryMaxRatePerSecond: 50 } as EventLogOptions,
    {} as Logger,
  );
  // The job itself runs against PostgreSQL (recovery int and e2e specs); here only the request is checked.
  (useCase as unknown as { launch: (id: string) => void }).launch = () => undefined;
  return { inserted, useCase };
}

describe('RecoverWebhookUseCase', () => {
  it('records a running job bounded by the deployment rate, up to now', async () => {
    const { inserted, useCase } = setUp(true);
    const job = await useCase.execute({
      principal,
      webhookId: 'wh_1',
      since: hourAgo(),
      until: new Date(Date.now() + 3600_000),
    });
    expect(job).toMatchObject({ webhookId: 'wh_1', status: 'running', ratePerSecond: 50, scheduled: 0 });
    expect(inserted).toHaveLength(1);
    expect(inserted[0].until!.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('refuses an empty range, a rate above the bound and a webhook with no deliveries', async () => {
    const { useCase, inserted } = setUp(true);
    await expect(
      useCase.execute({ principal, webhookId: 'wh_1', since: new Date(), until: hourAgo() }),
    ).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(
      useCase.execute({ principal, webhookId: 'wh_1', since: hourAgo(), ratePerSecond: 51 }),
    ).rejects.toMatchObject({ message: 'ratePerSecond must be at most 50' });
    await expect(
      setUp(false).useCase.execute({ principal, webhookId: 'wh_1', since: hourAgo() }),
    ).rejects.toMatchObject({ code: 'not_found' });
    expect(inserted).toEqual([]);
  });

  it('validates the request body in its command schema', () => {
    expect(recoverWebhookSchema.safeParse({ webhookId: 'wh_1', since: 'yesterday' }).error?.issues[0].message).toBe(
      'since must be an ISO 8601 date-time',
    );
  });
});
