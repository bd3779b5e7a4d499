import type { TenantDatabase, TenantId } from '@ringflow/tenancy';
import type { CallRecord } from './call-record';

interface CallRecordRow {
  call_sid: string;
  from_number: string;
  to_number: string;
  direction: 'inbound' | 'outbound';
  flow_id: string | null;
  flow_version: number | null;
  started_at: Date | null;
  ended_at: Date;
  duration_seconds: number;
  outcome: string;
  node_path: string[];
  variables: Record<string, unknown>;
}

/** Call records in Postgres: written once per call (a replayed status callback changes nothing), read by tenant. */
export class CallRecordsRepository {
  constructor(private readonly db: TenantDatabase) {}

  /** True when this call's record was written now, false when it already existed. */
  async writeOnce(tenantId: TenantId, r: CallRecord): Promise<boolean> {
    const rows = await this.db.run(tenantId, (em) =>
      em.query(
        `INSERT INTO call_records (tenant_id, call_sid, from_number, to_number, direction, flow_id, flow_version,
           started_at, ended_at, duration_seconds, outcome, node_path, variables)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         ON CONFLICT (tenant_id, call_sid) DO NOTHING RETURNING call_sid`,
        [tenantId, r.callSid, r.from, r.to, r.direction, r.flowId, r.flowVersion, r.startedAt, r.endedAt, r.durationSeconds,
          r.outcome, r.nodePath, JSON.stringify(r.variables)],
      ),
    );
    return rows.length === 1;
  }

  async find(tenantId: TenantId, callSid: string): Promise<CallRecord | undefined> {
    const [row]: CallRecordRow[] = await this.db.run(tenantId, (em) =>
      em.query(`SELECT * FROM call_records WHERE tenant_id = $1 AND call_sid = $2`, [tenantId, callSid]),
    );
    if (!row) return undefined;
    return {
      callSid: row.call_sid, from: row.from_number, to: row.to_number, direction: row.direction, flowId: row.flow_id,
      flowVersion: row.flow_version, startedAt: row.started_at, endedAt: row.ended_at, durationSeconds: row.duration_seconds,
      outcome: row.outcome, nodePath: row.node_path, variables: row.variables,
    };
  }
}
