import { isIP } from 'node:net';
import { z } from 'zod';

function isCidr(value: string): boolean {
  const [address, bits, extra] = value.split('/');
  if (extra !== undefined || bits === undefined || !/^\d{1,3}$/.test(bits)) return false;
  const family = isIP(address);
  return family !== 0 && Number(bits) <= (family === 4 ? 32 : 128);
}

/**
 * `HTTP_EGRESS_ALLOW_CIDRS`: comma-separated CIDR ranges that outbound connections made for tenants (flow
 * http nodes, tenant SMTP servers) may reach despite the SSRF guard, e.g. an on-premise CRM or mail relay.
 */
export const egressAllowCidrs = z
  .string()
  .default('')
  .transform((value) => value.split(',').map((part) => part.trim()).filter((part) => part !== ''))
  .refine((list) => list.every(isCidr), { message: 'must be comma-separated CIDR ranges, e.g. 10.20.0.0/16,127.0.0.0/8' });
