import { Injectable } from '@nestjs/common';
import { CallSessionStore } from '@ringflow/session';
import { TenantDatabase, type TenantId } from '@ringflow/tenancy';

/** The campaign attempt a call was placed for, if any. */
export interface CampaignLink {
  campaignId: string;
  contactId: string;
}

// worker-calls writes the call SID once Twilio's API has answered; a quick callee can reach a flow node
// first. Until then the attempt is the one still dialing this contact from this caller id.
const BY_CALL_SID = `SELECT campaign_id, contact_id FROM campaign_attempts WHERE tenant_id = $1 AND call_sid = $2 LIMIT 1`;
const STILL_DIALING = `
  SELECT a.campaign_id, a.contact_id FROM campaign_attempts a
    JOIN contacts c ON c.tenant_id = a.tenant_id AND c.id = a.contact_id
    JOIN campaigns k ON k.tenant_id = a.tenant_id AND k.id = a.campaign_id
   WHERE a.tenant_id = $1 AND a.status = 'dialing' AND a.call_sid IS NULL AND c.phone = $2 AND k.caller_id = $3
   ORDER BY a.created_at DESC LIMIT 1`;

/** Finds the campaign attempt of an outbound call (inbound calls belong to none and cost no query). */
@Injectable()
export class CallCampaignLink {
  constructor(
    private readonly db: TenantDatabase,
    private readonly sessions: CallSessionStore,
  ) {}

  async of(tenantId: TenantId, callSid: string): Promise<CampaignLink | undefined> {
    const system = (await this.sessions.load(tenantId, callSid))?.session.system;
    if (!system || system.direction !== 'outbound') return undefined;
    const [row] = await this.db.run(tenantId, async (em) => {
      const bySid = await em.query(BY_CALL_SID, [tenantId, callSid]);
      return bySid.length > 0 ? bySid : em.query(STILL_DIALING, [tenantId, system.caller, system.called]);
    });
    return row ? { campaignId: row.campaign_id, contactId: row.contact_id } : undefined;
  }
}
