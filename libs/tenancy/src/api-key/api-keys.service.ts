import { randomUUID } from 'node:crypto';
import { Injectable, Optional } from '@nestjs/common';
import { IsNull } from 'typeorm';
import { audit } from '../audit/audit';
import { ROLES, type Role } from '../auth/role';
import { TenantDatabase } from '../tenant/tenant-database';
import { TenantEntity } from '../tenant/tenant.entity';
import { isUuid, type TenantId } from '../tenant/tenant-id';
import { TenancyException } from '../tenancy.exception';
import { ApiKeyEntity } from './api-key.entity';
import { ApiKeyRevocations } from './api-key-revocations';
import { generateApiKey } from './api-key-secret';

export interface CreateApiKeyCommand {
  name: string;
  role: string;
  expiresAt?: Date | null;
}

@Injectable()
export class ApiKeysService {
  constructor(
    private readonly db: TenantDatabase,
    /** Absent (a script or test that builds the service by hand): other processes forget the key when their entry lapses. */
    @Optional() private readonly revocations?: ApiKeyRevocations,
  ) {}

  /** Creates a key and returns it with its secret, which is never retrievable again. */
  async create(tenantId: TenantId, command: CreateApiKeyCommand, actor: string, now = new Date()): Promise<{ apiKey: ApiKeyEntity; secret: string }> {
    const name = command.name.trim();
    if (!name || name.length > 100) throw new TenancyException('invalid-input', 'name must be 1 to 100 characters', 'name');
    if (!(ROLES as readonly string[]).includes(command.role)) {
      throw new TenancyException('invalid-input', `role "${command.role}" is unknown; use one of ${ROLES.join(', ')}`, 'role');
    }
    if (command.expiresAt && command.expiresAt.getTime() <= now.getTime()) {
      throw new TenancyException('invalid-input', 'expiresAt must be in the future', 'expiresAt');
    }
    const { key, prefix, hash } = generateApiKey();
    return this.db.run(tenantId, async (em) => {
      if (!(await em.getRepository(TenantEntity).existsBy({ id: tenantId }))) {
        throw new TenancyException('not-found', `tenant ${tenantId} not found`, 'tenantId');
      }
      const repo = em.getRepository(ApiKeyEntity);
      const inserted = await repo.save(
        repo.create({ tenantId, id: randomUUID(), name, role: command.role as Role, prefix, keyHash: hash, expiresAt: command.expiresAt ?? null }),
      );
      await audit(em, tenantId, { actor, action: 'api-key.create', targetType: 'api-key', targetId: inserted.id, details: { name, role: command.role } });
      const apiKey = await repo.findOneByOrFail({ tenantId, id: inserted.id });
      return { apiKey, secret: key };
    });
  }

  list(tenantId: TenantId): Promise<ApiKeyEntity[]> {
    return this.db.run(tenantId, (em) => em.getRepository(ApiKeyEntity).find({ where: { tenantId }, order: { createdAt: 'ASC' } }));
  }

  /** Revokes a key and, once that is committed, tells every process (ApiKeyRevocations), so none accepts it again. */
  async revoke(tenantId: TenantId, id: string, actor: string): Promise<ApiKeyEntity> {
    if (!isUuid(id)) throw new TenancyException('invalid-input', 'id must be a UUID', 'id');
    const revoked = await this.db.run(tenantId, async (em) => {
      const repo = em.getRepository(ApiKeyEntity);
      const key = await repo.findOneBy({ tenantId, id });
      if (!key) throw new TenancyException('not-found', `API key ${id} not found`, 'id');
      if (!key.revokedAt) {
        await repo.update({ tenantId, id, revokedAt: IsNull() }, { revokedAt: new Date() });
        await audit(em, tenantId, { actor, action: 'api-key.revoke', targetType: 'api-key', targetId: id });
      }
      return repo.findOneByOrFail({ tenantId, id });
    });
    await this.revocations?.announce(tenantId, id);
    return revoked;
  }

  /** Records use at most once a minute per key, so authentication does not write on every request. */
  async touch(tenantId: TenantId, id: string): Promise<void> {
    await this.db.run(tenantId, (em) =>
      em.query(
        `UPDATE api_keys SET last_used_at = now()
          WHERE tenant_id = $1 AND id = $2 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
        [tenantId, id],
      ),
    );
  }
}
