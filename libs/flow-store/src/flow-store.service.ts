import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { validateFlow } from '@ringflow/flow';
import { audit, isUuid, TenancyException, TenantDatabase, toE164, type TenantId } from '@ringflow/tenancy';
import type { FlowSaveResult, FlowSummary, PublishedFlow } from './flow-store.types';
import { PublishedFlowCache } from './published-flow-cache';

interface FlowRow {
  tenant_id: string;
  id: string;
  name: string;
  draft: unknown;
  latest_version: number | null;
  created_at: Date;
  updated_at: Date;
}

const SUMMARY = `SELECT f.tenant_id, f.id, f.name, f.draft, f.created_at, f.updated_at,
  (SELECT max(v.version) FROM flow_versions v WHERE v.tenant_id = f.tenant_id AND v.flow_id = f.id) AS latest_version
  FROM flows f`;

function summary(row: FlowRow): FlowSummary {
  return {
    tenantId: row.tenant_id as TenantId, id: row.id, name: row.name, draft: row.draft,
    latestVersion: row.latest_version, createdAt: row.created_at, updatedAt: row.updated_at,
  };
}

function checkFlowId(flowId: string): void {
  if (!isUuid(flowId)) throw new TenancyException('invalid-input', 'flowId must be a UUID', 'flowId');
}

/** Flows of a tenant: drafts validated on save, immutable published versions, and which flow answers a number. */
@Injectable()
export class FlowStore {
  private readonly cache = new PublishedFlowCache();
  /** Lookups in flight: a burst of new calls to one number waits for one query, not one each (each holds a pool connection). */
  private readonly inFlight = new Map<string, Promise<PublishedFlow | undefined>>();

  private coalesced<T extends PublishedFlow | undefined>(key: string, lookup: () => Promise<T>): Promise<T> {
    const pending = this.inFlight.get(key);
    if (pending) return pending as Promise<T>;
    const started = lookup().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, started);
    return started;
  }

  constructor(private readonly db: TenantDatabase) {}

  async create(tenantId: TenantId, document: unknown, actor: string): Promise<FlowSaveResult<FlowSummary>> {
    const checked = validateFlow(document);
    if (!checked.ok) return checked;
    return this.db.run(tenantId, async (em) => {
      const [{ id }] = await em.query(`INSERT INTO flows (tenant_id, name, draft) VALUES ($1, $2, $3) RETURNING id`, [
        tenantId, checked.flow.name, JSON.stringify(document),
      ]);
      await audit(em, tenantId, { actor, action: 'flow.create', targetType: 'flow', targetId: id, details: { name: checked.flow.name } });
      return { ok: true, value: await this.summaryIn(em, tenantId, id) };
    });
  }

  async updateDraft(tenantId: TenantId, flowId: string, document: unknown, actor: string): Promise<FlowSaveResult<FlowSummary>> {
    checkFlowId(flowId);
    const checked = validateFlow(document);
    if (!checked.ok) return checked;
    return this.db.run(tenantId, async (em) => {
      const [, count] = await em.query(`UPDATE flows SET name = $3, draft = $4, updated_at = now() WHERE tenant_id = $1 AND id = $2`, [
        tenantId, flowId, checked.flow.name, JSON.stringify(document),
      ]);
      if (count === 0) throw new TenancyException('not-found', `flow ${flowId} not found`, 'flowId');
      await audit(em, tenantId, { actor, action: 'flow.update-draft', targetType: 'flow', targetId: flowId, details: { name: checked.flow.name } });
      return { ok: true, value: await this.summaryIn(em, tenantId, flowId) };
    });
  }

  async get(tenantId: TenantId, flowId: string): Promise<FlowSummary> {
    checkFlowId(flowId);
    return this.db.run(tenantId, (em) => this.summaryIn(em, tenantId, flowId));
  }

  async list(tenantId: TenantId): Promise<FlowSummary[]> {
    const rows: FlowRow[] = await this.db.run(tenantId, (em) => em.query(`${SUMMARY} WHERE f.tenant_id = $1 ORDER BY f.created_at, f.id`, [tenantId]));
    return rows.map(summary);
  }

  /** Publishes the current draft as the next version; the draft is checked again, so nothing invalid is ever published. */
  async publish(tenantId: TenantId, flowId: string, actor: string): Promise<FlowSaveResult<PublishedFlow>> {
    checkFlowId(flowId);
    return this.db.run(tenantId, async (em) => {
      const [row] = await em.query(`SELECT draft FROM flows WHERE tenant_id = $1 AND id = $2 FOR UPDATE`, [tenantId, flowId]);
      if (!row) throw new TenancyException('not-found', `flow ${flowId} not found`, 'flowId');
      const checked = validateFlow(row.draft);
      if (!checked.ok) return checked;
      const [published] = await em.query(
        `INSERT INTO flow_versions (tenant_id, flow_id, version, document, published_by)
         SELECT $1, $2, coalesce(max(version), 0) + 1, $3, $4 FROM flow_versions WHERE tenant_id = $1 AND flow_id = $2
         RETURNING version, published_at`,
        [tenantId, flowId, JSON.stringify(checked.flow), actor],
      );
      await audit(em, tenantId, { actor, action: 'flow.publish', targetType: 'flow', targetId: flowId, details: { version: published.version } });
      const value: PublishedFlow = { tenantId, flowId, version: published.version, flow: checked.flow, publishedAt: published.published_at };
      return { ok: true, value };
    });
  }

  /** One published version; read from Postgres once per process, then from memory. */
  async getVersion(tenantId: TenantId, flowId: string, version: number): Promise<PublishedFlow> {
    const cached = this.cache.get(tenantId, flowId, version);
    if (cached) return cached;
    checkFlowId(flowId);
    return this.coalesced(`version/${tenantId}/${flowId}/${version}`, () => this.loadVersion(tenantId, flowId, version));
  }

  private async loadVersion(tenantId: TenantId, flowId: string, version: number): Promise<PublishedFlow> {
    const [row] = await this.db.run(tenantId, (em) =>
      em.query(`SELECT document, published_at FROM flow_versions WHERE tenant_id = $1 AND flow_id = $2 AND version = $3`, [tenantId, flowId, version]),
    );
    if (!row) throw new TenancyException('not-found', `flow ${flowId} has no version ${version}`, 'version');
    const checked = validateFlow(row.document);
    if (!checked.ok) {
      throw new Error(`flow ${flowId} version ${version} of tenant ${tenantId} no longer validates: ${checked.errors.map((e) => `${e.nodeId ?? '(document)'}.${e.field}: ${e.message}`).join('; ')}`);
    }
    const published: PublishedFlow = { tenantId, flowId, version, flow: checked.flow, publishedAt: row.published_at };
    this.cache.put(published);
    return published;
  }

  /** Makes a flow answer one of the tenant's numbers (null unbinds it). New calls take the flow's latest published version. */
  async bindNumber(tenantId: TenantId, number: string, flowId: string | null, actor: string): Promise<void> {
    const e164 = toE164(number, 'number');
    if (flowId !== null) checkFlowId(flowId);
    await this.db.run(tenantId, async (em) => {
      if (flowId !== null && (await em.query(`SELECT 1 FROM flows WHERE tenant_id = $1 AND id = $2`, [tenantId, flowId])).length === 0) {
        throw new TenancyException('not-found', `flow ${flowId} not found`, 'flowId');
      }
      const [, count] = await em.query(`UPDATE phone_numbers SET flow_id = $3 WHERE tenant_id = $1 AND e164 = $2`, [tenantId, e164, flowId]);
      if (count === 0) throw new TenancyException('not-found', `number ${e164} is not one of this tenant's numbers`, 'number');
      await audit(em, tenantId, { actor, action: 'phone-number.bind-flow', targetType: 'phone-number', targetId: e164, details: { flowId } });
    });
  }

  /** The flow version a new call to this number runs, or undefined when the number has no flow with a published version. */
  async resolveForNumber(tenantId: TenantId, calledNumber: string): Promise<PublishedFlow | undefined> {
    return this.coalesced(`number/${tenantId}/${calledNumber}`, () => this.loadForNumber(tenantId, calledNumber));
  }

  private async loadForNumber(tenantId: TenantId, calledNumber: string): Promise<PublishedFlow | undefined> {
    const [row] = await this.db.run(tenantId, (em) =>
      em.query(
        `SELECT n.flow_id, (SELECT max(v.version) FROM flow_versions v WHERE v.tenant_id = n.tenant_id AND v.flow_id = n.flow_id) AS version
           FROM phone_numbers n WHERE n.tenant_id = $1 AND n.e164 = $2`,
        [tenantId, calledNumber],
      ),
    );
    if (!row?.flow_id || row.version === null) return undefined;
    return this.getVersion(tenantId, row.flow_id, row.version);
  }

  private async summaryIn(em: EntityManager, tenantId: TenantId, flowId: string): Promise<FlowSummary> {
    const [row] = await em.query(`${SUMMARY} WHERE f.tenant_id = $1 AND f.id = $2`, [tenantId, flowId]);
    if (!row) throw new TenancyException('not-found', `flow ${flowId} not found`, 'flowId');
    return summary(row);
  }
}
