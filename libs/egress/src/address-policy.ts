import ipaddr from 'ipaddr.js';

type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;
type Cidr = [IpAddress, number];

/** Thrown by `AddressPolicy` construction when an allow-list entry is not a CIDR range. */
export class InvalidAllowCidrError extends Error {
  constructor(entry: string) {
    super(`allowCidrs entry "${entry}" is not a CIDR range (expected e.g. "127.0.0.0/8" or "fd00::/8")`);
    this.name = 'InvalidAllowCidrError';
  }
}

const RANGE_LABELS: Record<string, string> = {
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  multicast: 'multicast',
  linkLocal: 'link-local',
  loopback: 'loopback',
  carrierGradeNat: 'carrier-grade NAT',
  private: 'private',
  reserved: 'reserved',
  uniqueLocal: 'unique local',
  deprecatedSiteLocal: 'deprecated site-local',
  rfc6145: 'IPv4-translated (RFC 6145)',
  rfc6052: 'local-use NAT64',
  teredo: 'Teredo',
};

// Addresses whose purpose is well known to attackers get a note in the refusal reason.
const NOTES: Record<string, string> = {
  '169.254.169.254': ' (cloud metadata endpoint)',
  'fd00:ec2::254': ' (cloud metadata endpoint)',
};

// IPv6 ranges that carry an IPv4 address: the embedded address decides, as it is where traffic ends up.
const NAT64_WELL_KNOWN = ipaddr.IPv6.parseCIDR('64:ff9b::/96');
const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR('2000::/3');

/**
 * Decides whether an IP address may be called: public unicast addresses only, unless an operator
 * allow-list re-admits a range. Answers with a refusal reason for the logs, or null when allowed.
 */
export class AddressPolicy {
  private readonly allowed: Cidr[];

  constructor(allowCidrs: readonly string[] = []) {
    this.allowed = allowCidrs.map((entry) => {
      if (!ipaddr.isValidCIDR(entry)) throw new InvalidAllowCidrError(entry);
      return ipaddr.parseCIDR(entry);
    });
  }

  /** The reason `address` is refused, or null when it may be connected to. */
  refusalReason(address: string): string | null {
    let parsed: IpAddress;
    try {
      parsed = ipaddr.parse(address);
    } catch {
      return `"${address}" is not an IP address`;
    }
    if (this.isAllowListed(parsed)) return null;
    return this.classify(parsed, address);
  }

  private isAllowListed(address: IpAddress): boolean {
    const candidates = [address];
    const embedded = embeddedIpv4(address);
    if (embedded) candidates.push(embedded);
    return candidates.some((candidate) =>
      this.allowed.some((cidr) => cidr[0].kind() === candidate.kind() && candidate.match(cidr)),
    );
  }

  private classify(address: IpAddress, shown: string): string | null {
    const embedded = embeddedIpv4(address);
    if (embedded) {
      const inner = this.isAllowListed(embedded) ? null : this.classify(embedded, embedded.toString());
      return inner === null ? null : `${shown} embeds IPv4 ${embedded.toString()}: ${inner}`;
    }
    const range = address.range();
    if (range !== 'unicast') {
      const cidr = specialRangeCidr(address, range);
      const label = RANGE_LABELS[range] ?? range;
      const note = NOTES[address.toString()] ?? '';
      return `address ${shown} is in ${label} range ${cidr ?? ''}`.trimEnd() + note;
    }
    if (address.kind() === 'ipv6' && !address.match(GLOBAL_UNICAST_V6)) {
      return `address ${shown} is outside the IPv6 global unicast range 2000::/3`;
    }
    return null;
  }
}

/** The IPv4 address inside an IPv4-mapped, NAT64 (64:ff9b::/96) or 6to4 (2002::/16) IPv6 address. */
function embeddedIpv4(address: IpAddress): ipaddr.IPv4 | null {
  if (address.kind() !== 'ipv6') return null;
  const v6 = address as ipaddr.IPv6;
  const p = v6.parts;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address();
  if (v6.match(NAT64_WELL_KNOWN)) return new ipaddr.IPv4([p[6] >> 8, p[6] & 0xff, p[7] >> 8, p[7] & 0xff]);
  if (v6.range() === '6to4') return new ipaddr.IPv4([p[1] >> 8, p[1] & 0xff, p[2] >> 8, p[2] & 0xff]);
  return null;
}

/** The CIDR of ipaddr.js's special range that `address` fell in, for the refusal reason. */
function specialRangeCidr(address: IpAddress, range: string): string | null {
  // ipaddr.js keeps its range table on the prototype without typing it.
  const table = (address as unknown as { SpecialRanges?: Record<string, Cidr | Cidr[]> }).SpecialRanges;
  const entry = table?.[range];
  if (!entry) return null;
  const cidrs: Cidr[] = Array.isArray(entry[0]) ? (entry as Cidr[]) : [entry as Cidr];
  const hit = cidrs.find((cidr) => address.match(cidr));
  return hit ? `${hit[0].toString()}/${hit[1]}` : null;
}
