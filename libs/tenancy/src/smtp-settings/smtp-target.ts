import { isIP } from 'node:net';
import type { AddressPolicy, HostResolver } from '@ringflow/egress';
import ipaddr from 'ipaddr.js';

/** Where to connect: an address that passed the policy, and the name to check the server's certificate against. */
export type SmtpTarget = { kind: 'address'; address: string; servername: string } | { kind: 'refused'; reason: string };

/**
 * Resolves the tenant's SMTP host once and picks the first address the egress policy admits (the same policy
 * as the flows' http node). The connection is then made to that address, never to the name, so a DNS
 * answer that changes between the check and the connect cannot reach a refused address.
 * `plaintextCidrs`: for `none` security, the address must also be in these operator-allowed ranges.
 */
export async function resolveSmtpTarget(
  host: string,
  policy: AddressPolicy,
  resolve: HostResolver,
  plaintext: { cidrs: readonly string[] } | null,
): Promise<SmtpTarget> {
  let addresses: string[];
  if (isIP(host) !== 0) {
    addresses = [host];
  } else {
    try {
      addresses = (await resolve(host)).map((entry) => entry.address);
    } catch (error) {
      return { kind: 'refused', reason: `SMTP host ${host} did not resolve (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
    }
  }
  const refusals: string[] = [];
  for (const address of addresses) {
    const refusal = policy.refusalReason(address);
    if (refusal !== null) {
      refusals.push(refusal);
    } else if (plaintext && !inRanges(address, plaintext.cidrs)) {
      refusals.push(`plaintext SMTP (security none) is allowed only to operator allow-listed addresses, and ${address} is not one`);
    } else {
      return { kind: 'address', address, servername: host };
    }
  }
  const why = refusals.length > 0 ? refusals.join('; ') : 'no addresses';
  return { kind: 'refused', reason: `SMTP host refused: ${why}${isIP(host) === 0 ? ` (resolved from ${host})` : ''}` };
}

function inRanges(address: string, cidrs: readonly string[]): boolean {
  const parsed = ipaddr.process(address);
  return cidrs.some((cidr) => {
    const range = ipaddr.parseCIDR(cidr);
    return range[0].kind() === parsed.kind() && parsed.match(range);
  });
}
