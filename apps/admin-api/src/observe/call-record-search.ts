import { Injectable } from '@nestjs/common';
import { type Page, type PageRequest, pageOf, pageSize } from '@ringflow/campaign';
import { TenancyException, TenantDatabase, type TenantId, toE164 } from '@ringflow/tenancy';

export interface CallRecordFilter {
  endedAfter?: Date | null;
  endedBefore?: Date | null;
  /** Either party, any international format. */
  number?: string | null;
  outcome?: string | null;
}

export interface FoundCallRecord {
  callSid: string;
  from: string;
  to: string;
  direction: string;
  flowId: string | null;
  flowVersion: number | null;
  startedAt: Date | null;
  endedAt: Date;
  durationSeconds: number;
  outcome: string;
  nodePath: string[];
}

/** Finished calls from call_records (written by the gateway), newest first; libs/session writes and reads one. */
@Injectable()
export class CallRecordSearch {
  constructor(private readonly db: TenantDatabase) {}

  async page(tenantId: TenantId, filter: CallRecordFilter, request: PageRequest): Promise<Page<FoundCallRecord>> {
    const size = pageSize(request);
    let number: string | null = null;
    if (filter.number) {
      try {
        number = toE164(filter.number, 'number');
      } catch (error) {
        if (error instanceof TenancyException) throw new TenancyException('invalid-input', error.message, 'filter.number');
        throw error;
      }
    }
    const rows = await this.db.run(tenantId, (em) =>
      em.query(
        `SELECT call_sid, from_number, to_number, direction, flow_id, flow_version, started_at, ended_at, duration_seconds, outcome, node_path
           FROM call_records r
          WHERE r.tenant_id = $1
            AND ($2::timestamptz IS NULL OR r.ended_at >= $2) AND ($3::timestamptz IS NULL OR r.ended_at < $3)
            AND ($4::text IS NULL OR r.from_number = $4 OR r.to_number = $4) AND ($5::text IS NULL OR r.outcome = $5)
            AND ($6::text IS NULL OR (r.ended_at, r.call_sid) < (SELECT ended_at, call_sid FROM call_records WHERE tenant_id = $1 AND call_sid = $6))
          ORDER BY r.ended_at DESC, r.call_sid DESC LIMIT $7`,
        [tenantId, filter.endedAfter ?? null, filter.endedBefore ?? null, number, filter.outcome ?? null, request.after ?? null, size + 1],
      ),
    );
    return pageOf(
      rows.map((r: any) => ({
        callSid: r.call_sid, from: r.from_number, to: r.to_number, direction: r.direction, flowId: r.flow_id, flowVersion: r.flow_version,
        startedAt: r.started_at, endedAt: r.ended_at, durationSeconds: r.duration_seconds, outcome: r.outcome, nodePath: r.node_path,
      })),
      size,
    );
  }
}
