import { Inject, Injectable } from '@nestjs/common';
import { CallSessionStore } from '@ringflow/session';
import { TelephonyException, TelephonyExceptionCode } from '@ringflow/telephony';
import type { TenantId } from '@ringflow/tenancy';
import { GATEWAY_CONFIG, type GatewayConfig } from '../gateway.config';
import { voiceUrls } from '../voice/voice-urls';
import { QueueTelephony } from './queue-telephony';

export type QueueOutcome = 'answered' | 'voicemail' | 'timeout';

/** The query parameter the resume URL carries; the agent's number is added by the gateway from the claim, never sent in a URL. */
export const QUEUE_OUTCOME_PARAM = 'RingflowQueueOutcome';

/**
 * Takes a waiting caller out of the Twilio queue by redirecting the call to the queue node's resume URL
 * (the step the call is at), with the outcome in the query; the flow goes on from there.
 */
@Injectable()
export class QueueCallRedirect {
  constructor(
    private readonly sessions: CallSessionStore,
    private readonly telephony: QueueTelephony,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** `gone` when the call has ended (or its session has): the caller cannot be reached any more. */
  async redirect(tenantId: TenantId, callSid: string, outcome: QueueOutcome): Promise<'redirected' | 'gone'> {
    const stored = await this.sessions.load(tenantId, callSid);
    const nodeId = stored?.session.hold?.nodeId;
    if (!stored || !nodeId || stored.session.endedAt) return 'gone';
    const url = `${voiceUrls(this.config.PUBLIC_BASE_URL, tenantId, callSid, stored.session.seq).resumeUrl({ nodeId })}&${QUEUE_OUTCOME_PARAM}=${outcome}`;
    try {
      await this.telephony.port.updateCall(await this.telephony.credentials(tenantId), callSid, { kind: 'redirect', url });
      return 'redirected';
    } catch (error) {
      const ended = error instanceof TelephonyException && (error.code === TelephonyExceptionCode.InvalidState || error.code === TelephonyExceptionCode.NotFound);
      if (ended) return 'gone';
      throw error;
    }
  }
}
