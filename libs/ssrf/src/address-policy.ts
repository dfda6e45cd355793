import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * The class of an IP address as far as outbound requests are concerned. `public` is globally
 * routable unicast; everything else is refused unless an operator allow-lists it.
 */
export type AddressClass =
  | 'public'
  | 'loopback'
  | 'private'
  | 'linkLocal'
  | 'carrierGradeNat'
  | 'multicast'
  | 'broadcast'
  | 'unspecified'
  | 'uniqueLocal'
  | 'ipv4Mapped'
  | 'ipv4Embedded'
  | 'reserved';

export interface AddressVerdict {
  allowed: boolean;
  address: string;
  addressClass: AddressClass;
  /** Why it was refused, in words fit for an error message; null when allowed. */
  reason: string | null;
}

const DESCRIPTIONS: Record<Exclude<AddressClass, 'public'>, string> = {
  loopback: 'a loopback address',
  private: 'a private-network address',
  linkLocal: 'a link-local address',
  carrierGradeNat: 'a carrier-grade NAT address',
  multicast: 'a multicast address',
  broadcast: 'the broadcast address',
  unspecified: 'an unspecified address',
  uniqueLocal: 'an IPv6 unique-local address',
  ipv4Mapped: 'an IPv4-mapped IPv6 address',
  ipv4Embedded: 'an IPv6 address embedding an IPv4 address',
  reserved: 'a reserved or special-purpose address',
};

// ::/96 (IPv4-compatible, deprecated) is not one of ipaddr.js's named ranges; some stacks still
// route it to the embedded IPv4 address.
const IPV4_COMPATIBLE = ipaddr.parseCIDR('::/96');
const CLOUD_METADATA = new Set(['169.254.169.254', 'fd00:ec2::254']);

function classOf(addr: ipaddr.IPv4 | ipaddr.IPv6): AddressClass {
  if (addr.kind() === 'ipv4') {
    const range = (addr as ipaddr.IPv4).range();
    switch (range) {
      case 'unicast':
        return 'public';
      case 'loopback':
      case 'private':
      case 'linkLocal':
      case 'carrierGradeNat':
      case 'multicast':
      case 'broadcast':
      case 'unspecified':
        return range;
      default:
        return 'reserved';
    }
  }
  const v6 = addr as ipaddr.IPv6;
  const range = v6.range();
  switch (range) {
    case 'unicast':
      return v6.match(IPV4_COMPATIBLE) ? 'ipv4Embedded' : 'public';
    case 'loopback':
    case 'linkLocal':
    case 'multicast':
    case 'unspecified':
    case 'uniqueLocal':
    case 'ipv4Mapped':
      return range;
    // NAT64, SIIT, 6to4 and Teredo carry an IPv4 address a gateway may forward to.
    case 'rfc6052':
    case 'rfc6145':
    case '6to4':
    case 'teredo':
      return 'ipv4Embedded';
    default:
      return 'reserved';
  }
}

/** Parses an IP literal (brackets and IPv6 zone ids tolerated); null when it is not one. */
export function parseIpLiteral(text: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const withoutZone = bare.split('%')[0];
  if (isIP(withoutZone) === 0) return null;
  return ipaddr.parse(withoutZone);
}

/** Classifies one IP address given in canonical dotted-quad or IPv6 text. */
export function classifyAddress(address: string): AddressClass {
  const parsed = parseIpLiteral(address);
  if (!parsed) throw new TypeError(`${address} is not an IP address`);
  return classOf(parsed);
}

/** Checks that every entry is a CIDR range (`10.0.0.0/8`, `::1/128`) or a single address. */
export function invalidCidrs(entries: readonly string[]): string[] {
  return entries.filter((entry) => !ipaddr.isValidCIDR(entry) && !ipaddr.isValid(entry));
}

function toCidr(entry: string): [ipaddr.IPv4 | ipaddr.IPv6, number] {
  if (ipaddr.isValidCIDR(entry)) return ipaddr.parseCIDR(entry);
  const addr = ipaddr.parse(entry);
  return [addr, addr.kind() === 'ipv4' ? 32 : 128];
}

/**
 * Decides whether Herald may open a connection to an address: globally routable unicast is
 * allowed, anything else only when it falls inside an operator allow-listed range.
 */
export class AddressPolicy {
  private readonly allowV4: [ipaddr.IPv4, number][] = [];
  private readonly allowV6: [ipaddr.IPv6, number][] = [];

  constructor(allow: readonly string[] = []) {
    const bad = invalidCidrs(allow);
    if (bad.length > 0) throw new RangeError(`not a CIDR range or IP address: ${bad.join(', ')}`);
    for (const entry of allow) {
      const [addr, bits] = toCidr(entry);
      if (addr.kind() === 'ipv4') this.allowV4.push([addr as ipaddr.IPv4, bits]);
      else this.allowV6.push([addr as ipaddr.IPv6, bits]);
    }
  }

  /** The verdict for one IP address (canonical text, as returned by DNS or `net.isIP`). */
  check(address: string): AddressVerdict {
    const parsed = parseIpLiteral(address);
    if (!parsed) {
      return { allowed: false, address, addressClass: 'reserved', reason: `${address} is not an IP address` };
    }
    const addressClass = classOf(parsed);
    if (this.isAllowListed(parsed)) return { allowed: true, address, addressClass, reason: null };
    if (addressClass === 'public') return { allowed: true, address, addressClass, reason: null };
    const metadata = CLOUD_METADATA.has(parsed.toString()) ? ' (cloud metadata service)' : '';
    return { allowed: false, address, addressClass, reason: `${address} is ${DESCRIPTIONS[addressClass]}${metadata}` };
  }

  private isAllowListed(addr: ipaddr.IPv4 | ipaddr.IPv6): boolean {
    if (addr.kind() === 'ipv6') {
      const v6 = addr as ipaddr.IPv6;
      if (this.allowV6.some((range) => v6.match(range))) return true;
      // An allow-listed IPv4 range covers the same addresses written as IPv4-mapped IPv6.
      if (!v6.isIPv4MappedAddress()) return false;
      addr = v6.toIPv4Address();
    }
    const v4 = addr as ipaddr.IPv4;
    return this.allowV4.some((range) => v4.match(range));
  }
}
