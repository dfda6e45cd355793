import { httpErrorOf } from '@herald/http';
import { WebhookUrlPolicy } from './webhook-url-policy';

const refusalOf = (check: Promise<void>) =>
  check.then(
    () => null,
    (error: unknown) => httpErrorOf(error).body,
  );
const policy = (httpsOnly: boolean, allowedTargetCidrs: string[] = []) =>
  new WebhookUrlPolicy({ httpsOnly, allowedTargetCidrs, webhookLimitPerTenant: 1, secretRotationOverlapSeconds: 0 });

describe('WebhookUrlPolicy', () => {
  it('refuses plain http when the deployment is https-only', async () => {
    expect(await refusalOf(policy(true).check('http://93.184.215.14/hooks'))).toMatchObject({
      error: {
        code: 'invalid_request',
        message: 'url must use https:// (this deployment refuses plain http:// webhook URLs)',
      },
    });
    await expect(policy(true).check('https://93.184.215.14/hooks')).resolves.toBeUndefined();
  });

  it.each([
    ['http://127.0.0.1/', 'url host 127.0.0.1 is a loopback address'],
    ['http://2130706433/', 'url host 127.0.0.1 is a loopback address'],
    ['http://[::ffff:127.0.0.1]/', 'IPv4-mapped'],
    ['http://192.168.1.10/', 'private-network'],
    ['http://169.254.169.254/', 'cloud metadata service'],
  ])('refuses %s naming the address class unless allow-listed', async (url, message) => {
    expect(await refusalOf(policy(false).check(url))).toMatchObject({
      error: { code: 'invalid_request', message: expect.stringContaining(message) },
    });
  });

  it('accepts an allow-listed range', async () => {
    await expect(policy(false, ['127.0.0.0/8']).check('http://127.0.0.1:8080/hooks')).resolves.toBeUndefined();
  });
});
