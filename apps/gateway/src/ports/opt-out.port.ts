import { Injectable } from '@nestjs/common';
import { CampaignException, ContactsService } from '@ringflow/campaign';
import type { ConsentPort, PortAction, PortOutcome } from '@ringflow/flow';
import { asTenantId } from '@ringflow/tenancy';

/** The opt-out node: puts the number on the tenant's do-not-call list (audited as the call's act); campaigns skip it at every dial. */
@Injectable()
export class OptOutPort implements ConsentPort {
  constructor(private readonly contacts: ContactsService) {}

  async optOut(req: PortAction & { number: string }): Promise<PortOutcome> {
    try {
      await this.contacts.optOut(asTenantId(req.tenant), req.number, 'ivr-opt-out', `call:${req.callSid}`);
      return { kind: 'ok' };
    } catch (error) {
      if (error instanceof CampaignException) return { kind: 'failed', reason: `opt-out not recorded (${error.code}): the number is not a valid phone number` };
      throw error;
    }
  }
}
