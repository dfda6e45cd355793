import { mindstampApi } from './mindstamp-settings';

describe('Mindstamp settings input', () => {
  it('refuses bad settings naming the field, and takes blank as "no URL"', () => {
    const api = mindstampApi;
    expect(api.putIntegration.parse({ urls: { view: ' ', lead: 'https://l.example.com/x' } })).toEqual({
      urls: { view: null, lead: 'https://l.example.com/x' },
    });
    const badUrl = api.putIntegration.safeParse({ urls: { view: 'ftp://x.example.com' } });
    expect(badUrl.error?.issues[0].path).toEqual(['urls', 'view']);
    expect(api.putIntegration.safeParse({ urls: { click: 'https://x.example.com' } }).error?.issues[0].message).toMatch(
      /click/,
    );
    expect(api.putVideo.parse({ lead: { enabled: true, url: '' } })).toEqual({ lead: { enabled: true, url: null } });
    const badVideo = api.putVideo.safeParse({ view: { enabled: 'yes' } });
    expect(badVideo.error?.issues[0]).toMatchObject({
      path: ['view', 'enabled'],
      message: 'enabled must be true or false',
    });
    expect(api.urlTest.safeParse({ url: 'https://x.example.com', kind: 'click' }).error?.issues[0].message).toBe(
      'kind must be one of view, interaction, lead',
    );
  });
});
