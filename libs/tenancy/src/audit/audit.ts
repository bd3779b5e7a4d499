import type { EntityManager } from 'typeorm';
import type { TenantId } from '../tenant/tenant-id';

export interface AuditRecord {
  actor: string;
  action: string;
  targetType: string;
  targetId?: string;
  /** What changed. Never secrets: callers pass field names or masked values. */
  details?: Record<string, unknown>;
}

/** Appends to the tenant's audit log inside the caller's transaction, so the change and its record commit together. */
export async function audit(em: EntityManager, tenantId: TenantId, record: AuditRecord): Promise<void> {
  await em.query(
    `INSERT INTO audit_log (tenant_id, actor, action, target_type, target_id, details) VALUES ($1, $2, $3, $4, $5, $6)`,
    [tenantId, record.actor, record.action, record.targetType, record.targetId ?? null, JSON.stringify(record.details ?? {})],
  );
}
