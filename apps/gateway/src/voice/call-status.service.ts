import { Injectable, Logger } from '@nestjs/common';
import { CampaignAttemptsService, outcomeOfCallStatus } from '@ringflow/campaign';
import { CallSessionStore } from '@ringflow/session';
import { isUuid, type TenantId } from '@ringflow/tenancy';
import { CallEnding, describeWrite } from '../sweeper/call-ending';

const FINAL_STATUSES = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);

/**
 * Twilio's status callbacks. The final one writes the call record (once: a replay changes nothing; when Postgres
 * refuses it, it waits in Redis and the sweeper writes it later) and ends the session: it leaves the active-call
 * index, loses its sensitive digits, and expires soon after. Earlier or late non-final statuses change nothing.
 * A campaign call's callback URL names its attempt (`?tenantId=..&attemptId=..`, set by worker-calls): its
 * outcome is recorded there, once.
 */
@Injectable()
export class CallStatusService {
  private readonly logger = new Logger(CallStatusService.name);

  constructor(
    private readonly sessions: CallSessionStore,
    private readonly ending: CallEnding,
    private readonly attempts: CampaignAttemptsService,
  ) {}

  /** `query`: the callback URL's query (signed with it), which names a campaign call's attempt. */
  async handle(tenantId: TenantId, params: Record<string, string>, query: Record<string, unknown> = {}): Promise<void> {
    const callSid = params.CallSid;
    const status = params.CallStatus ?? '';
    if (!FINAL_STATUSES.has(status)) return;
    const stored = await this.sessions.load(tenantId, callSid);
    const write = await this.ending.end(
      tenantId,
      {
        callSid, from: params.From ?? '', to: params.To ?? '', outcome: status, endedAt: new Date(),
        direction: (params.Direction ?? 'inbound').startsWith('outbound') ? 'outbound' : 'inbound',
        durationSeconds: Math.max(0, Number.parseInt(params.CallDuration ?? '0', 10) || 0),
      },
      stored,
    );
    this.logger.log(`tenant ${tenantId} call ${callSid}: ${status}, ${describeWrite(write)}`);
    await this.recordAttemptOutcome(tenantId, callSid, params, query);
  }

  private async recordAttemptOutcome(tenantId: TenantId, callSid: string, params: Record<string, string>, query: Record<string, unknown>): Promise<void> {
    const { attemptId, tenantId: forTenant } = query;
    if (attemptId === undefined) return;
    if (typeof attemptId !== 'string' || !isUuid(attemptId) || String(forTenant ?? '').toLowerCase() !== tenantId) {
      this.logger.warn(`tenant ${tenantId} call ${callSid}: status callback names no attempt of this tenant; outcome not recorded`);
      return;
    }
    const outcome = outcomeOfCallStatus(params.CallStatus ?? '', params.AnsweredBy);
    if (!outcome) return;
    const result = await this.attempts.recordOutcome(tenantId, attemptId.toLowerCase(), outcome);
    this.logger.log(`tenant ${tenantId} call ${callSid}: campaign attempt ${attemptId} ${outcome} (${result.kind})`);
  }
}
