import { TenancyException } from '../tenancy.exception';
import { asTenantId, type TenantId } from '../tenant/tenant-id';
import type { Principal } from './role';

/**
 * The tenant an operation acts on. A tenant key acts on its own tenant, and naming another is not
 * found (no hint that it exists); the operator must name one.
 */
export function tenantOf(principal: Principal, requested?: string | null): TenantId {
  if (principal.kind === 'operator') {
    if (!requested) throw new TenancyException('invalid-input', 'tenantId is required with the operator key', 'tenantId');
    return asTenantId(requested);
  }
  if (requested && requested.toLowerCase() !== principal.tenantId) {
    throw new TenancyException('not-found', `tenant ${requested} not found`, 'tenantId');
  }
  return principal.tenantId;
}
