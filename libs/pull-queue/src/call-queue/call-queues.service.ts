import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { audit, TenancyException, TenantDatabase, toE164, type TenantId } from '@ringflow/tenancy';
import { agentOf, checkId } from '../agent/agents.service';
import type { Agent } from '../agent/agent.types';
import type { CallQueue, CallQueueInput } from './call-queue.types';

interface QueueRow {
  tenant_id: string;
  id: string;
  name: string;
  voicemail_notify: 'agents' | 'number';
  voicemail_number: string | null;
  announce_position: boolean;
  created_at: Date;
  agent_ids: string[] | null;
}

const SELECT = `SELECT q.tenant_id, q.id, q.name, q.voicemail_notify, q.voicemail_number, q.announce_position, q.created_at,
  (SELECT array_agg(qa.agent_id ORDER BY qa.agent_id) FROM call_queue_agents qa WHERE qa.tenant_id = q.tenant_id AND qa.queue_id = q.id) AS agent_ids
  FROM call_queues q`;

function queueOf(row: QueueRow): CallQueue {
  return {
    tenantId: row.tenant_id as TenantId, id: row.id, name: row.name, voicemailNotify: row.voicemail_notify,
    voicemailNumber: row.voicemail_number, announcePosition: row.announce_position, agentIds: row.agent_ids ?? [], createdAt: row.created_at,
  };
}

function checked(input: Partial<CallQueueInput>): Partial<CallQueueInput> {
  const out: Partial<CallQueueInput> = { ...input };
  if (input.name !== undefined) {
    out.name = input.name.trim();
    if (out.name.length < 1 || out.name.length > 100) throw new TenancyException('invalid-input', 'name must be 1 to 100 characters', 'name');
  }
  if (input.voicemailNumber) out.voicemailNumber = toE164(input.voicemailNumber, 'voicemailNumber');
  for (const id of input.agentIds ?? []) checkId(id, 'agentIds');
  return out;
}

/** A tenant's named queues, who answers each, and where their voicemail links go. */
@Injectable()
export class CallQueuesService {
  constructor(private readonly db: TenantDatabase) {}

  list(tenantId: TenantId): Promise<CallQueue[]> {
    return this.db.run(tenantId, async (em) => ((await em.query(`${SELECT} WHERE q.tenant_id = $1 ORDER BY q.name`, [tenantId])) as QueueRow[]).map(queueOf));
  }

  /** The queue a flow names; undefined when the tenant has not set it up. */
  byName(tenantId: TenantId, name: string): Promise<CallQueue | undefined> {
    return this.db.run(tenantId, async (em) => {
      const [row] = (await em.query(`${SELECT} WHERE q.tenant_id = $1 AND q.name = $2`, [tenantId, name])) as QueueRow[];
      return row ? queueOf(row) : undefined;
    });
  }

  /** The agents of a named queue who take callers now. */
  availableAgents(tenantId: TenantId, queueName: string): Promise<Agent[]> {
    return this.db.run(tenantId, async (em) =>
      ((await em.query(
        `SELECT a.* FROM agents a JOIN call_queue_agents qa ON qa.tenant_id = a.tenant_id AND qa.agent_id = a.id
           JOIN call_queues q ON q.tenant_id = qa.tenant_id AND q.id = qa.queue_id
          WHERE a.tenant_id = $1 AND q.name = $2 AND a.available ORDER BY a.name, a.id`,
        [tenantId, queueName],
      )) as Parameters<typeof agentOf>[0][]).map(agentOf),
    );
  }

  /** Names of the queues an agent answers. */
  async queuesOf(tenantId: TenantId, agentId: string): Promise<string[]> {
    const rows = (await this.db.run(tenantId, (em) =>
      em.query(
        `SELECT q.name FROM call_queues q JOIN call_queue_agents qa ON qa.tenant_id = q.tenant_id AND qa.queue_id = q.id
          WHERE q.tenant_id = $1 AND qa.agent_id = $2 ORDER BY q.name`,
        [tenantId, agentId],
      ),
    )) as { name: string }[];
    return rows.map((r) => r.name);
  }

  async create(tenantId: TenantId, input: CallQueueInput, actor: string): Promise<CallQueue> {
    const c = checked(input) as CallQueueInput;
    return this.db.run(tenantId, async (em) => {
      const [row] = (await em.query(
        `INSERT INTO call_queues (tenant_id, name, voicemail_notify, voicemail_number, announce_position) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (tenant_id, name) DO NOTHING RETURNING id`,
        [tenantId, c.name, c.voicemailNotify ?? 'agents', c.voicemailNumber ?? null, c.announcePosition ?? false],
      ).catch(rethrowCheck)) as { id: string }[];
      if (!row) throw new TenancyException('conflict', `a queue named "${c.name}" already exists`, 'name');
      await this.setAgents(em, tenantId, row.id, c.agentIds ?? []);
      await audit(em, tenantId, { actor, action: 'queue.create', targetType: 'queue', targetId: row.id, details: { name: c.name } });
      return this.getIn(em, tenantId, row.id);
    });
  }

  async update(tenantId: TenantId, id: string, input: Partial<CallQueueInput>, actor: string): Promise<CallQueue> {
    checkId(id, 'id');
    const c = checked(input);
    return this.db.run(tenantId, async (em) => {
      const current = await this.getIn(em, tenantId, id);
      if (c.name !== undefined && c.name !== current.name) {
        const clash = await em.query(`SELECT 1 FROM call_queues WHERE tenant_id = $1 AND name = $2`, [tenantId, c.name]);
        if (clash.length > 0) throw new TenancyException('conflict', `a queue named "${c.name}" already exists`, 'name');
      }
      await em.query(
        `UPDATE call_queues SET name = $3, voicemail_notify = $4, voicemail_number = $5, announce_position = $6 WHERE tenant_id = $1 AND id = $2`,
        [tenantId, id, c.name ?? current.name, c.voicemailNotify ?? current.voicemailNotify,
          c.voicemailNumber === undefined ? current.voicemailNumber : c.voicemailNumber, c.announcePosition ?? current.announcePosition],
      ).catch(rethrowCheck);
      if (c.agentIds) await this.setAgents(em, tenantId, id, c.agentIds);
      await audit(em, tenantId, { actor, action: 'queue.update', targetType: 'queue', targetId: id, details: { fields: Object.keys(input) } });
      return this.getIn(em, tenantId, id);
    });
  }

  async remove(tenantId: TenantId, id: string, actor: string): Promise<CallQueue> {
    checkId(id, 'id');
    return this.db.run(tenantId, async (em) => {
      const queue = await this.getIn(em, tenantId, id);
      await em.query(`DELETE FROM call_queues WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
      await audit(em, tenantId, { actor, action: 'queue.remove', targetType: 'queue', targetId: id, details: { name: queue.name } });
      return queue;
    });
  }

  private async setAgents(em: EntityManager, tenantId: TenantId, queueId: string, agentIds: string[]): Promise<void> {
    const unique = [...new Set(agentIds)];
    const found = (await em.query(`SELECT id FROM agents WHERE tenant_id = $1 AND id = ANY($2::uuid[])`, [tenantId, unique])) as { id: string }[];
    const missing = unique.filter((id) => !found.some((f) => f.id === id));
    if (missing.length > 0) throw new TenancyException('not-found', `agent ${missing[0]} not found`, 'agentIds');
    await em.query(`DELETE FROM call_queue_agents WHERE tenant_id = $1 AND queue_id = $2`, [tenantId, queueId]);
    if (unique.length > 0) {
      await em.query(`INSERT INTO call_queue_agents (tenant_id, queue_id, agent_id) SELECT $1, $2, unnest($3::uuid[])`, [tenantId, queueId, unique]);
    }
  }

  private async getIn(em: EntityManager, tenantId: TenantId, id: string): Promise<CallQueue> {
    const [row] = (await em.query(`${SELECT} WHERE q.tenant_id = $1 AND q.id = $2`, [tenantId, id])) as QueueRow[];
    if (!row) throw new TenancyException('not-found', `queue ${id} not found`, 'id');
    return queueOf(row);
  }
}

function rethrowCheck(error: unknown): never {
  if ((error as { code?: string }).code === '23514') {
    throw new TenancyException('invalid-input', 'voicemailNumber is required when voicemailNotify is NUMBER', 'voicemailNumber');
  }
  throw error;
}
