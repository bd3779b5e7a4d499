import { Injectable } from '@nestjs/common';
import { CampaignAttemptsService, outcomeOfCallStatus } from '@ringflow/campaign';
import type { CallInfo } from '@ringflow/telephony';
import { TenantDatabase, type TenantId } from '@ringflow/tenancy';

const ATTEMPT_OF_CALL = `SELECT id FROM campaign_attempts WHERE tenant_id = $1 AND call_sid = $2 LIMIT 1`;

/**
 * A campaign call the sweeper closed: its attempt's outcome from Twilio's status, as the lost status callback
 * would have recorded it (once: `recordOutcome` changes nothing for an attempt already ended).
 */
@Injectable()
export class SweptCampaignAttempt {
  constructor(
    private readonly db: TenantDatabase,
    private readonly attempts: CampaignAttemptsService,
  ) {}

  /** What was recorded, for the log; undefined when the call was placed for no campaign attempt. */
  async record(tenantId: TenantId, callSid: string, info: CallInfo): Promise<string | undefined> {
    const outcome = outcomeOfCallStatus(info.status, info.answeredBy);
    if (!outcome) return undefined;
    const [row] = await this.db.run(tenantId, (em) => em.query(ATTEMPT_OF_CALL, [tenantId, callSid]));
    if (!row) return undefined;
    const result = await this.attempts.recordOutcome(tenantId, row.id, outcome);
    return `campaign attempt ${row.id} ${outcome} (${result.kind})`;
  }
}
