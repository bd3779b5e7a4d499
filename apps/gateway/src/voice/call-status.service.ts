import { Injectable, Logger } from '@nestjs/common';
import { CampaignAttemptsService, outcomeOfCallStatus } from '@ringflow/campaign';
import { redactState } from '@ringflow/flow';
import { CallRecordsRepository, CallSessionStore, callRecordOf, SessionException } from '@ringflow/session';
import { isUuid, type TenantId } from '@ringflow/tenancy';
import { QueueCallEvents } from '../queue/queue-call-events';

const FINAL_STATUSES = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);

/**
 * Twilio's status callbacks. The final one writes the call record (once: a replay changes nothing) and
 * ends the session: it leaves the active-call index, loses its sensitive digits, and expires soon after.
 * Earlier or late non-final statuses change nothing. A campaign call's callback URL names its attempt
 * (`?tenantId=..&attemptId=..`, set by worker-calls): its outcome is recorded there, once.
 */
@Injectable()
export class CallStatusService {
  private readonly logger = new Logger(CallStatusService.name);

  constructor(
    private readonly sessions: CallSessionStore,
    private readonly records: CallRecordsRepository,
    private readonly queueEvents: QueueCallEvents,
    private readonly attempts: CampaignAttemptsService,
  ) {}

  /** `query`: the callback URL's query (signed with it), which names a campaign call's attempt. */
  async handle(tenantId: TenantId, params: Record<string, string>, query: Record<string, unknown> = {}): Promise<void> {
    const callSid = params.CallSid;
    const status = params.CallStatus ?? '';
    if (!FINAL_STATUSES.has(status)) return;
    const stored = await this.sessions.load(tenantId, callSid);
    const endedAt = new Date();
    const record = callRecordOf(
      {
        callSid, from: params.From ?? '', to: params.To ?? '', outcome: status, endedAt,
        direction: (params.Direction ?? 'inbound').startsWith('outbound') ? 'outbound' : 'inbound',
        durationSeconds: Math.max(0, Number.parseInt(params.CallDuration ?? '0', 10) || 0),
      },
      stored?.session,
    );
    const written = await this.records.writeOnce(tenantId, record);
    await this.queueEvents.callEnded(tenantId, callSid);
    if (stored && stored.session.endedAt === null) {
      await this.sessions
        .update(tenantId, callSid, (s) => (s.endedAt ? s : { ...s, state: redactState(s.state), endedAt: endedAt.toISOString(), updatedAt: endedAt.toISOString() }))
        .catch((error: unknown) => {
          if (!(error instanceof SessionException && error.code === 'not-found')) throw error;
        });
    }
    this.logger.log(`tenant ${tenantId} call ${callSid}: ${status}${written ? ', call record written' : ', call record already written'}`);
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
