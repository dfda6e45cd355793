import { AddressPolicy, classifyAddress, invalidCidrs } from './address-policy';

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['100.127.255.254', 'carrierGradeNat'],
    ['224.0.0.1', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['192.0.2.10', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'linkLocal'],
    ['fc00::1', 'uniqueLocal'],
    ['fd00:ec2::254', 'uniqueLocal'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'ipv4Mapped'],
    ['::ffff:7f00:1', 'ipv4Mapped'],
    ['::7f00:1', 'ipv4Embedded'],
    ['::127.0.0.1', 'ipv4Mapped'],
    ['64:ff9b::a00:1', 'ipv4Embedded'],
    ['2002:a00:1::1', 'ipv4Embedded'],
    ['8.8.8.8', 'public'],
    ['172.32.0.1', 'public'],
    ['100.128.0.1', 'public'],
    ['2606:4700:4700::1111', 'public'],
  ])('%s is %s', (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });

  it('refuses text that is not an IP address', () => {
    expect(() => classifyAddress('example.com')).toThrow(/not an IP address/);
  });
});

describe('AddressPolicy', () => {
  it('allows public unicast and refuses everything else with a reason', () => {
    const policy = new AddressPolicy();
    expect(policy.check('93.184.216.34')).toMatchObject({ allowed: true, reason: null });
    expect(policy.check('169.254.169.254')).toMatchObject({
      allowed: false,
      addressClass: 'linkLocal',
      reason: '169.254.169.254 is a link-local address (cloud metadata service)',
    });
    expect(policy.check('[::1]')).toMatchObject({ allowed: false, addressClass: 'loopback' });
    expect(policy.check('fe80::1%eth0')).toMatchObject({ allowed: false, addressClass: 'linkLocal' });
  });

  it('allows exactly the allow-listed ranges, including their IPv4-mapped forms', () => {
    const policy = new AddressPolicy(['127.0.0.0/8', '10.20.0.0/16', '::1']);
    expect(policy.check('127.0.0.1').allowed).toBe(true);
    expect(policy.check('::ffff:127.0.0.1').allowed).toBe(true);
    expect(policy.check('::1').allowed).toBe(true);
    expect(policy.check('10.20.5.5').allowed).toBe(true);
    expect(policy.check('10.21.0.1').allowed).toBe(false);
    expect(policy.check('192.168.0.1').allowed).toBe(false);
  });

  it('rejects malformed allow-list entries by name', () => {
    expect(invalidCidrs(['10.0.0.0/8', 'nope', '1.2.3.4/33', 'fd00::/8'])).toEqual(['nope', '1.2.3.4/33']);
    expect(() => new AddressPolicy(['10.0.0.0/8', 'internal'])).toThrow('not a CIDR range or IP address: internal');
  });
});
