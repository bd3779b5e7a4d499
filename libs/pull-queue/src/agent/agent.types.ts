import type { TenantId } from '@ringflow/tenancy';

/** Someone who takes a queue's callers from their own phone, by SMS. */
export interface Agent {
  tenantId: TenantId;
  id: string;
  name: string;
  /** E.164: where notices go and whose replies are theirs. */
  phone: string;
  available: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface AgentInput {
  name: string;
  phone: string;
  available?: boolean;
}
