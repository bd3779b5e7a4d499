import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { audit } from '../audit/audit';
import { TenantDatabase } from '../tenant/tenant-database';
import { isUuid, type TenantId } from '../tenant/tenant-id';
import { TenancyException } from '../tenancy.exception';
import { toE164 } from './e164';
import { PhoneNumberEntity } from './phone-number.entity';

export interface AddPhoneNumberCommand {
  number: string;
  friendlyName?: string | null;
}

@Injectable()
export class PhoneNumbersService {
  constructor(private readonly db: TenantDatabase) {}

  async add(tenantId: TenantId, command: AddPhoneNumberCommand, actor: string): Promise<PhoneNumberEntity> {
    const e164 = toE164(command.number, 'number');
    try {
      return await this.db.run(tenantId, async (em) => {
        const repo = em.getRepository(PhoneNumberEntity);
        const saved = await repo.save(repo.create({ tenantId, id: randomUUID(), e164, friendlyName: command.friendlyName ?? null }));
        await audit(em, tenantId, { actor, action: 'phone-number.add', targetType: 'phone-number', targetId: saved.id, details: { e164 } });
        return repo.findOneByOrFail({ tenantId, id: saved.id });
      });
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505') {
        throw new TenancyException('conflict', `number ${e164} is already registered on Ringflow`, 'number');
      }
      throw error;
    }
  }

  list(tenantId: TenantId): Promise<PhoneNumberEntity[]> {
    return this.db.run(tenantId, (em) => em.getRepository(PhoneNumberEntity).find({ where: { tenantId }, order: { e164: 'ASC' } }));
  }

  async remove(tenantId: TenantId, id: string, actor: string): Promise<PhoneNumberEntity> {
    if (!isUuid(id)) throw new TenancyException('invalid-input', 'id must be a UUID', 'id');
    return this.db.run(tenantId, async (em) => {
      const repo = em.getRepository(PhoneNumberEntity);
      const number = await repo.findOneBy({ tenantId, id });
      if (!number) throw new TenancyException('not-found', `phone number ${id} not found`, 'id');
      await repo.delete({ tenantId, id });
      await audit(em, tenantId, { actor, action: 'phone-number.remove', targetType: 'phone-number', targetId: id, details: { e164: number.e164 } });
      return number;
    });
  }
}
