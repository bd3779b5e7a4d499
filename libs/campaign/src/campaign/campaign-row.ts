import type { Campaign } from './campaign-settings';

/** The campaigns columns the services read, as one SELECT list. */
export const CAMPAIGN_COLUMNS = `id, tenant_id, name, status, list_id, caller_id, flow_id, flow_version, answer_url,
  window_start_minute, window_end_minute, calls_per_second, max_concurrent_calls, max_attempts, retry_delays,
  machine_handling, scheduled_at, started_at, finished_at`;

export function campaignFromRow(row: Record<string, any>): Campaign {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    status: row.status,
    listId: row.list_id,
    callerId: row.caller_id,
    answer: row.flow_id ? { kind: 'flow', flowId: row.flow_id, flowVersion: row.flow_version } : { kind: 'url', url: row.answer_url },
    window: { startMinute: row.window_start_minute, endMinute: row.window_end_minute },
    callsPerSecond: row.calls_per_second,
    maxConcurrentCalls: row.max_concurrent_calls,
    maxAttempts: row.max_attempts,
    retryDelays: row.retry_delays ?? {},
    machineHandling: row.machine_handling,
    scheduledAt: row.scheduled_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}
