import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { audit } from '../audit/audit';
import { toE164 } from '../phone-number/e164';
import { TenancyException } from '../tenancy.exception';
import { TenantDatabase } from './tenant-database';
import { TenantEntity } from './tenant.entity';
import type { TenantId } from './tenant-id';

export interface CreateTenantCommand {
  name: string;
  timeZone?: string;
}

/** Fields a tenant admin may change; `null` clears an optional one, `undefined` leaves it as it is. */
export interface UpdateTenantCommand {
  name?: string;
  timeZone?: string;
  fallbackMessage?: string | null;
  fallbackTransferNumber?: string | null;
  defaultCallerId?: string | null;
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

  async update(tenantId: TenantId, command: UpdateTenantCommand, actor: string): Promise<TenantEntity> {
    const changes: Partial<TenantEntity> = {};
    if (command.name !== undefined) {
      const name = command.name.trim();
      if (!name || name.length > 200) throw new TenancyException('invalid-input', 'name must be 1 to 200 characters', 'name');
      changes.name = name;
    }
    if (command.timeZone !== undefined) {
      assertTimeZone(command.timeZone);
      changes.timeZone = command.timeZone;
    }
    if (command.fallbackMessage !== undefined) {
      const message = command.fallbackMessage?.trim() ?? null;
      if (message !== null && (!message || message.length > 500)) {
        throw new TenancyException('invalid-input', 'fallbackMessage must be 1 to 500 characters, or null for the default', 'fallbackMessage');
      }
      changes.fallbackMessage = message;
    }
    if (command.fallbackTransferNumber !== undefined) {
      changes.fallbackTransferNumber = command.fallbackTransferNumber === null ? null : toE164(command.fallbackTransferNumber, 'fallbackTransferNumber');
    }
    if (command.defaultCallerId !== undefined) {
      changes.defaultCallerId = command.defaultCallerId === null ? null : toE164(command.defaultCallerId, 'defaultCallerId');
    }
    return this.db.run(tenantId, async (em) => {
      const repo = em.getRepository(TenantEntity);
      if (Object.keys(changes).length > 0) {
        const { affected } = await repo.update({ id: tenantId }, changes);
        if (!affected) throw new TenancyException('not-found', `tenant ${tenantId} not found`);
        await audit(em, tenantId, { actor, action: 'tenant.update', targetType: 'tenant', targetId: tenantId, details: { changed: Object.keys(changes) } });
      }
      const tenant = await repo.findOneBy({ id: tenantId });
      if (!tenant) throw new TenancyException('not-found', `tenant ${tenantId} not found`);
      return tenant;
    });
  }

  async get(tenantId: TenantId): Promise<TenantEntity> {
    const tenant = await this.db.run(tenantId, (em) => em.getRepository(TenantEntity).findOneBy({ id: tenantId }));
    if (!tenant) throw new TenancyException('not-found', `tenant ${tenantId} not found`);
    return tenant;
  }
}
