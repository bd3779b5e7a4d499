import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress, LookupOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import type { AddressPolicy } from './address-policy';

/** A resolved address of a host name. */
export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Resolves a host name to all of its addresses (A and AAAA). */
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

/** The default resolver: the operating system's, as `dns.lookup` with `all: true`. */
export const systemResolver: HostResolver = (hostname) => dnsLookup(hostname, { all: true, order: 'verbatim' });

/** A connection that the address policy refused; its message is the reason for the logs. */
export class EgressRefusedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'EgressRefusedError';
  }
}

/**
 * A `lookup` for `net.connect`/`tls.connect`: resolves the name, drops every address the policy
 * refuses, and hands only admitted ones to the socket. Because the socket connects to exactly what
 * this returns, a DNS answer that changes between lookups cannot slip past the check.
 */
export function createGuardedLookup(resolve: HostResolver, policy: AddressPolicy): LookupFunction {
  return (hostname: string, options: LookupOptions, callback) => {
    resolve(hostname).then(
      (resolved) => {
        const wanted = options.family === 4 || options.family === 6 ? options.family : 0;
        const candidates = resolved.filter((entry) => wanted === 0 || entry.family === wanted);
        const admitted: LookupAddress[] = [];
        const refusals: string[] = [];
        for (const entry of candidates) {
          const refusal = policy.refusalReason(entry.address);
          if (refusal === null) admitted.push({ address: entry.address, family: entry.family });
          else refusals.push(refusal);
        }
        if (admitted.length === 0) {
          const why = refusals.length > 0 ? refusals.join('; ') : 'no addresses';
          callback(new EgressRefusedError(`${why} (resolved from ${hostname})`), '', 0);
        } else if (options.all) {
          callback(null, admitted);
        } else {
          callback(null, admitted[0].address, admitted[0].family);
        }
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}
