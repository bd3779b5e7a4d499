import { isIP } from 'node:net';
import type { AddressPolicy } from './address-policy';

/** A URL that passed the checks that need no DNS, or why it was refused. */
export type TargetCheck = { ok: true; url: URL } | { ok: false; reason: string };

/**
 * Parses and checks an outbound URL before anything connects: http/https only, no userinfo, and
 * an IP-literal host (in any spelling the WHATWG parser accepts, e.g. `2130706433` or `0x7f.1`,
 * which it normalises to dotted decimal) must pass the address policy. Host names are checked
 * later, against the addresses DNS gives at connect time.
 */
export function checkTargetUrl(raw: string | URL, policy: AddressPolicy): TargetCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'URL is not valid' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, reason: `scheme ${url.protocol} is not allowed (only http: and https:)` };
  }
  if (url.username !== '' || url.password !== '') {
    return { ok: false, reason: `URL for host ${url.host} carries credentials (user:pass@); send them in a header instead` };
  }
  const literal = ipLiteral(url.hostname);
  if (literal !== null) {
    const refusal = policy.refusalReason(literal);
    if (refusal !== null) return { ok: false, reason: `${refusal} (literal in URL)` };
  }
  return { ok: true, url };
}

/** The IP address a URL hostname spells, without IPv6 brackets, or null for a host name. */
export function ipLiteral(hostname: string): string | null {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return isIP(bare) === 0 ? null : bare;
}
