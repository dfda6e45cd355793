import { assertPublicUrl } from './public-url';
import type { Resolver } from './guarded-lookup';

const fakeDns: Resolver = async (hostname) => {
  const table: Record<string, { address: string; family: number }[]> = {
    'hooks.example.com': [{ address: '93.184.216.34', family: 4 }],
    'internal.example.com': [{ address: '10.0.0.5', family: 4 }],
    'mixed.example.com': [
      { address: '93.184.216.34', family: 4 },
      { address: '127.0.0.1', family: 4 },
    ],
  };
  const found = table[hostname];
  if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  return found;
};

describe('assertPublicUrl', () => {
  it.each([
    ['http://127.0.0.1/hook', /127\.0\.0\.1 is a loopback address/],
    ['http://10.0.0.1/', /private-network/],
    ['http://172.16.5.4/', /private-network/],
    ['http://192.168.0.10/', /private-network/],
    ['http://169.254.169.254/latest/meta-data', /cloud metadata/],
    ['http://100.64.1.1/', /carrier-grade NAT/],
    ['http://[::1]:8080/', /loopback/],
    ['http://[::ffff:127.0.0.1]/', /IPv4-mapped/],
    ['http://[fd12::1]/', /unique-local/],
    ['http://2130706433/', /127\.0\.0\.1 is a loopback/],
    ['http://0x7f000001/', /127\.0\.0\.1 is a loopback/],
    ['http://0177.0.0.1/', /127\.0\.0\.1 is a loopback/],
    ['http://0x7f.1/', /127\.0\.0\.1 is a loopback/],
    ['http://017700000001/', /127\.0\.0\.1 is a loopback/],
    ['http://0.0.0.0/', /unspecified/],
    ['http://internal.example.com/', /internal\.example\.com resolves to 10\.0\.0\.5 is a private/],
    ['http://mixed.example.com/', /resolves to 127\.0\.0\.1/],
  ])('refuses %s', async (url, message) => {
    await expect(assertPublicUrl(url, { resolve: fakeDns })).rejects.toThrow(message);
  });

  it('refuses other schemes, credentials and garbage', async () => {
    await expect(assertPublicUrl('file:///etc/passwd')).rejects.toThrow('url must use http or https, not file');
    await expect(assertPublicUrl('javascript:alert(1)')).rejects.toThrow(/not javascript/);
    await expect(assertPublicUrl('https://user:pw@hooks.example.com/', { resolve: fakeDns })).rejects.toThrow(
      'url must not contain credentials',
    );
    await expect(assertPublicUrl('not a url')).rejects.toThrow('url must be an absolute http:// or https:// URL');
  });

  it('accepts public hosts, allow-listed ranges, and (by default) names that do not resolve yet', async () => {
    await expect(assertPublicUrl('https://hooks.example.com/x', { resolve: fakeDns })).resolves.toBeInstanceOf(URL);
    await expect(assertPublicUrl('https://93.184.216.34/x')).resolves.toBeInstanceOf(URL);
    await expect(assertPublicUrl('http://127.0.0.1:9/x', { allow: ['127.0.0.0/8'] })).resolves.toBeInstanceOf(URL);
    await expect(assertPublicUrl('https://not-yet.example.com/', { resolve: fakeDns })).resolves.toBeInstanceOf(URL);
    await expect(
      assertPublicUrl('https://not-yet.example.com/', { resolve: fakeDns, unresolvable: 'refuse' }),
    ).rejects.toThrow('url host not-yet.example.com could not be resolved (ENOTFOUND)');
  });

  it('resolves real names: localhost is loopback', async () => {
    await expect(assertPublicUrl('http://localhost:3000/')).rejects.toThrow(/localhost resolves to .* loopback/);
  });
});
