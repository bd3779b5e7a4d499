import { TenancyException } from '../tenancy.exception';

/** A tenant's id. Branded so that a plain string cannot be passed where a checked tenant id is due. */
export type TenantId = string & { readonly __brand: 'TenantId' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** Checks and brands a tenant id; a malformed one is an invalid-input error naming the field. */
export function asTenantId(value: string, field = 'tenantId'): TenantId {
  if (!isUuid(value)) throw new TenancyException('invalid-input', `${field} must be a UUID`, field);
  return value.toLowerCase() as TenantId;
}
