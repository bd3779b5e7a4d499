import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { audit } from '../audit/audit';
import { TenancyException } from '../tenancy.exception';
import { TenantDatabase } from './tenant-database';
import { TenantEntity } from './tenant.entity';
import type { TenantId } from './tenant-id';

export interface CreateTenantCommand {
  name: string;
  timeZone?: string;
}

export function assertTimeZone(zone: string, field = 'timeZone'): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    throw new TenancyException('invalid-input', `${field} "${zone}" is not an IANA time zone (e.g. Europe/Berlin)`, field);
  }
}

@Injectable()
export class TenantsService {
  constructor(private readonly db: TenantDatabase) {}

  /** Operator only (checked at the edge): a new tenant's row is written under its own id, so RLS holds. */
  async create(command: CreateTenantCommand, actor: string): Promise<TenantEntity> {
    const name = command.name.trim();
    if (!name || name.length > 200) throw new TenancyException('invalid-input', 'name must be 1 to 200 characters', 'name');
    const timeZone = command.timeZone ?? 'UTC';
    assertTimeZone(timeZone);
    const id = randomUUID() as TenantId;
    return this.db.run(id, async (em) => {
      const tenant = await em.getRepository(TenantEntity).save({ id, name, timeZone });
      await audit(em, id, { actor, action: 'tenant.create', targetType: 'tenant', targetId: id, details: { name, timeZone } });
      return tenant;
    });
  }

  async get(tenantId: TenantId): Promise<TenantEntity> {
    const tenant = await this.db.run(tenantId, (em) => em.getRepository(TenantEntity).findOneBy({ id: tenantId }));
    if (!tenant) throw new TenancyException('not-found', `tenant ${tenantId} not found`);
    return tenant;
  }
}
