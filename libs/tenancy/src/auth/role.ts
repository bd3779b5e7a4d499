export const ROLES = ['admin', 'marketer', 'analyst', 'merchant'] as const;

/** What a tenant's API key may do: admin configures, marketer runs campaigns, analyst reads, merchant redeems. */
export type Role = (typeof ROLES)[number];

/** Who is calling: the platform operator (environment key) or one tenant's API key. */
export type Principal =
  | { kind: 'operator' }
  | { kind: 'api-key'; tenantId: import('../tenant/tenant-id').TenantId; keyId: string; role: Role };

/** An access rule names roles, plus `operator` for the platform operator's key. */
export type Access = Role | 'operator';

export function actorOf(principal: Principal): string {
  return principal.kind === 'operator' ? 'operator' : `api-key:${principal.keyId}`;
}
