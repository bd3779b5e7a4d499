import { Injectable } from '@nestjs/common';
import { TenantDatabase, type TenantId } from '@ringflow/tenancy';

/** The campaign attempt a call was placed for, if any. */
export interface CampaignLink {
  campaignId: string;
  contactId: string;
}

/** Finds the campaign attempt of an outbound call by its SID (worker-calls records the SID once Twilio accepts the call). */
@Injectable()
export class CallCampaignLink {
  constructor(private readonly db: TenantDatabase) {}

  async of(tenantId: TenantId, callSid: string): Promise<CampaignLink | undefined> {
    const [row] = await this.db.run(tenantId, (em) =>
      em.query(`SELECT campaign_id, contact_id FROM campaign_attempts WHERE tenant_id = $1 AND call_sid = $2 LIMIT 1`, [tenantId, callSid]),
    );
    return row ? { campaignId: row.campaign_id, contactId: row.contact_id } : undefined;
  }
}
