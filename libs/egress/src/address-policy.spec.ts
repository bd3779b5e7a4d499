import { AddressPolicy, InvalidAllowCidrError } from './address-policy';

describe('AddressPolicy', () => {
  const policy = new AddressPolicy();

  it.each([
    ['127.0.0.1', 'loopback range 127.0.0.0/8'],
    ['127.255.0.9', 'loopback range 127.0.0.0/8'],
    ['10.0.0.5', 'private range 10.0.0.0/8'],
    ['172.16.0.1', 'private range 172.16.0.0/12'],
    ['172.31.255.254', 'private range 172.16.0.0/12'],
    ['192.168.1.20', 'private range 192.168.0.0/16'],
    ['169.254.169.254', 'link-local range 169.254.0.0/16 (cloud metadata endpoint)'],
    ['169.254.1.1', 'link-local range 169.254.0.0/16'],
    ['100.64.0.1', 'carrier-grade NAT range 100.64.0.0/10'],
    ['100.127.255.254', 'carrier-grade NAT range 100.64.0.0/10'],
    ['0.0.0.0', 'unspecified range 0.0.0.0/8'],
    ['0.1.2.3', 'unspecified range 0.0.0.0/8'],
    ['224.0.0.1', 'multicast range 224.0.0.0/4'],
    ['255.255.255.255', 'broadcast range 255.255.255.255/32'],
    ['240.0.0.1', 'reserved range 240.0.0.0/4'],
    ['192.0.2.10', 'reserved range 192.0.2.0/24'],
    ['198.18.0.1', 'reserved range 198.18.0.0/15'],
    ['::1', 'loopback range ::1/128'],
    ['::', 'unspecified range ::/128'],
    ['fc00::1', 'unique local range fc00::/7'],
    ['fd12:3456::1', 'unique local range fc00::/7'],
    ['fd00:ec2::254', 'unique local range fc00::/7 (cloud metadata endpoint)'],
    ['fe80::1', 'link-local range fe80::/10'],
    ['ff02::1', 'multicast range ff00::/8'],
    ['2001:db8::1', 'reserved range 2001:db8::/32'],
    ['64:ff9b:1::1', 'local-use NAT64 range 64:ff9b:1::/48'],
  ])('refuses %s as in %s', (address, expected) => {
    expect(policy.refusalReason(address)).toBe(`address ${address} is in ${expected}`);
  });

  it('refuses IPv6 outside global unicast space, such as the deprecated IPv4-compatible ::7f00:1', () => {
    expect(policy.refusalReason('::7f00:1')).toBe('address ::7f00:1 is outside the IPv6 global unicast range 2000::/3');
  });

  it.each([
    ['::ffff:127.0.0.1', '127.0.0.1', 'loopback range 127.0.0.0/8'],
    ['::ffff:10.0.0.5', '10.0.0.5', 'private range 10.0.0.0/8'],
    ['64:ff9b::a9fe:a9fe', '169.254.169.254', 'link-local range 169.254.0.0/16'],
    ['64:ff9b::7f00:1', '127.0.0.1', 'loopback range 127.0.0.0/8'],
    ['2002:c0a8:101::1', '192.168.1.1', 'private range 192.168.0.0/16'],
  ])('refuses %s by the IPv4 address it embeds (%s)', (address, embedded, range) => {
    expect(policy.refusalReason(address)).toBe(
      `${address} embeds IPv4 ${embedded}: address ${embedded} is in ${range}` +
        (embedded === '169.254.169.254' ? ' (cloud metadata endpoint)' : ''),
    );
  });

  it.each(['93.184.216.34', '8.8.8.8', '2606:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1'])(
    'admits the public address %s',
    (address) => {
      expect(policy.refusalReason(address)).toBeNull();
    },
  );

  it('refuses text that is not an IP address', () => {
    expect(policy.refusalReason('crm.example')).toBe('"crm.example" is not an IP address');
  });

  describe('with an operator allow-list', () => {
    const allowing = new AddressPolicy(['127.0.0.0/8', '10.20.0.0/16', 'fd00::/8']);

    it('re-admits addresses inside the listed ranges, including IPv4-mapped forms', () => {
      expect(allowing.refusalReason('127.0.0.1')).toBeNull();
      expect(allowing.refusalReason('::ffff:127.0.0.1')).toBeNull();
      expect(allowing.refusalReason('10.20.3.4')).toBeNull();
      expect(allowing.refusalReason('fd00::5')).toBeNull();
    });

    it('still refuses every other blocked range', () => {
      expect(allowing.refusalReason('10.21.0.1')).toBe('address 10.21.0.1 is in private range 10.0.0.0/8');
      expect(allowing.refusalReason('169.254.169.254')).toMatch(/link-local range 169\.254\.0\.0\/16/);
      expect(allowing.refusalReason('::1')).toBe('address ::1 is in loopback range ::1/128');
      expect(allowing.refusalReason('fc00::1')).toBe('address fc00::1 is in unique local range fc00::/7');
    });

    it('rejects an entry that is not a CIDR range, naming it', () => {
      expect(() => new AddressPolicy(['127.0.0.1'])).toThrow(InvalidAllowCidrError);
      expect(() => new AddressPolicy(['localhost/8'])).toThrow('allowCidrs entry "localhost/8" is not a CIDR range');
    });
  });
});
