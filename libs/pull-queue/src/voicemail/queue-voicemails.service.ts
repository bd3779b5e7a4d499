import { Injectable } from '@nestjs/common';
import { TenantDatabase, type TenantId } from '@ringflow/tenancy';

/** A message a caller left when nobody took them. */
export interface QueueVoicemail {
  id: string;
  callSid: string;
  queueName: string;
  caller: string;
  recordingUrl: string;
  durationSeconds: number;
  createdAt: Date;
}

interface VoicemailRow {
  id: string;
  call_sid: string;
  queue_name: string;
  caller: string;
  recording_url: string;
  duration_seconds: number;
  created_at: Date;
}

function voicemailOf(row: VoicemailRow): QueueVoicemail {
  return {
    id: row.id, callSid: row.call_sid, queueName: row.queue_name, caller: row.caller, recordingUrl: row.recording_url,
    durationSeconds: row.duration_seconds, createdAt: row.created_at,
  };
}

/** Voicemails of queue callers, kept once per call. */
@Injectable()
export class QueueVoicemailsService {
  constructor(private readonly db: TenantDatabase) {}

  /** True when kept now; false when this call's voicemail was kept already (a replayed webhook). */
  keep(tenantId: TenantId, v: Omit<QueueVoicemail, 'id' | 'createdAt'>): Promise<boolean> {
    return this.db.run(tenantId, async (em) => {
      const rows = (await em.query(
        `INSERT INTO queue_voicemails (tenant_id, call_sid, queue_name, caller, recording_url, duration_seconds) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (tenant_id, call_sid) DO NOTHING RETURNING id`,
        [tenantId, v.callSid, v.queueName, v.caller, v.recordingUrl, v.durationSeconds],
      )) as unknown[];
      return rows.length === 1;
    });
  }

  list(tenantId: TenantId, limit = 100): Promise<QueueVoicemail[]> {
    return this.db.run(tenantId, async (em) =>
      ((await em.query(
        `SELECT id, call_sid, queue_name, caller, recording_url, duration_seconds, created_at FROM queue_voicemails
          WHERE tenant_id = $1 ORDER BY created_at DESC, id LIMIT $2`,
        [tenantId, Math.max(1, Math.min(limit, 500))],
      )) as VoicemailRow[]).map(voicemailOf),
    );
  }
}
