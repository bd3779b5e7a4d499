import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { audit, isUuid, TenancyException, TenantDatabase, toE164, type TenantId } from '@ringflow/tenancy';
import type { Agent, AgentInput } from './agent.types';

interface AgentRow {
  tenant_id: string;
  id: string;
  name: string;
  phone: string;
  available: boolean;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'a.tenant_id, a.id, a.name, a.phone, a.available, a.created_at, a.updated_at';

export function agentOf(row: AgentRow): Agent {
  return {
    tenantId: row.tenant_id as TenantId, id: row.id, name: row.name, phone: row.phone, available: row.available,
    createdAt: row.created_at, updatedAt: row.updated_at,
  };
}

function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > 200) throw new TenancyException('invalid-input', 'name must be 1 to 200 characters', 'name');
  return trimmed;
}

export function checkId(id: string, field: string): void {
  if (!isUuid(id)) throw new TenancyException('invalid-input', `${field} must be a UUID`, field);
}

/** A tenant's agents: who they are, the mobile they answer from, and whether they take callers now. */
@Injectable()
export class AgentsService {
  constructor(private readonly db: TenantDatabase) {}

  list(tenantId: TenantId): Promise<Agent[]> {
    return this.db.run(tenantId, async (em) =>
      ((await em.query(`SELECT ${COLUMNS} FROM agents a WHERE a.tenant_id = $1 ORDER BY a.name, a.id`, [tenantId])) as AgentRow[]).map(agentOf),
    );
  }

  async create(tenantId: TenantId, input: AgentInput, actor: string): Promise<Agent> {
    const name = checkName(input.name);
    const phone = toE164(input.phone, 'phone');
    return this.db.run(tenantId, async (em) => {
      const [row] = (await em.query(
        `INSERT INTO agents (tenant_id, name, phone, available) VALUES ($1, $2, $3, $4)
         ON CONFLICT (tenant_id, phone) DO NOTHING RETURNING id`,
        [tenantId, name, phone, input.available ?? true],
      )) as { id: string }[];
      if (!row) throw new TenancyException('conflict', 'another agent already has this phone', 'phone');
      await audit(em, tenantId, { actor, action: 'agent.create', targetType: 'agent', targetId: row.id, details: { name } });
      return this.getIn(em, tenantId, row.id);
    });
  }

  async update(tenantId: TenantId, id: string, input: Partial<AgentInput>, actor: string): Promise<Agent> {
    checkId(id, 'id');
    const name = input.name === undefined ? null : checkName(input.name);
    const phone = input.phone === undefined ? null : toE164(input.phone, 'phone');
    return this.db.run(tenantId, async (em) => {
      const clash = phone ? await em.query(`SELECT 1 FROM agents WHERE tenant_id = $1 AND phone = $2 AND id <> $3`, [tenantId, phone, id]) : [];
      if (clash.length > 0) throw new TenancyException('conflict', 'another agent already has this phone', 'phone');
      const [, count] = await em.query(
        `UPDATE agents SET name = coalesce($3, name), phone = coalesce($4, phone), available = coalesce($5, available), updated_at = now()
         WHERE tenant_id = $1 AND id = $2`,
        [tenantId, id, name, phone, input.available ?? null],
      );
      if (count === 0) throw new TenancyException('not-found', `agent ${id} not found`, 'id');
      await audit(em, tenantId, {
        actor, action: 'agent.update', targetType: 'agent', targetId: id,
        details: { fields: Object.keys(input).filter((k) => (input as Record<string, unknown>)[k] !== undefined) },
      });
      return this.getIn(em, tenantId, id);
    });
  }

  async remove(tenantId: TenantId, id: string, actor: string): Promise<Agent> {
    checkId(id, 'id');
    return this.db.run(tenantId, async (em) => {
      const agent = await this.getIn(em, tenantId, id);
      await em.query(`DELETE FROM agents WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
      await audit(em, tenantId, { actor, action: 'agent.remove', targetType: 'agent', targetId: id, details: { name: agent.name } });
      return agent;
    });
  }

  /** The tenant's agent texting from this number, if any. */
  findByPhone(tenantId: TenantId, phone: string): Promise<Agent | undefined> {
    return this.db.run(tenantId, async (em) => {
      const [row] = (await em.query(`SELECT ${COLUMNS} FROM agents a WHERE a.tenant_id = $1 AND a.phone = $2`, [tenantId, phone])) as AgentRow[];
      return row ? agentOf(row) : undefined;
    });
  }

  byIds(tenantId: TenantId, ids: string[]): Promise<Agent[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db.run(tenantId, async (em) =>
      ((await em.query(`SELECT ${COLUMNS} FROM agents a WHERE a.tenant_id = $1 AND a.id = ANY($2::uuid[])`, [tenantId, ids])) as AgentRow[]).map(agentOf),
    );
  }

  /** AWAY / BACK by SMS: recorded in the audit log as the agent's own act. */
  setAvailable(tenantId: TenantId, id: string, available: boolean): Promise<void> {
    return this.db.run(tenantId, async (em) => {
      await em.query(`UPDATE agents SET available = $3, updated_at = now() WHERE tenant_id = $1 AND id = $2`, [tenantId, id, available]);
      await audit(em, tenantId, { actor: `agent:${id}`, action: available ? 'agent.back' : 'agent.away', targetType: 'agent', targetId: id });
    });
  }

  private async getIn(em: EntityManager, tenantId: TenantId, id: string): Promise<Agent> {
    const [row] = (await em.query(`SELECT ${COLUMNS} FROM agents a WHERE a.tenant_id = $1 AND a.id = $2`, [tenantId, id])) as AgentRow[];
    if (!row) throw new TenancyException('not-found', `agent ${id} not found`, 'id');
    return agentOf(row);
  }
}
