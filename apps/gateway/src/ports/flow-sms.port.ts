import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS } from '@ringflow/database';
import type { PortAction, PortOutcome, SmsPort } from '@ringflow/flow';
import { CallSessionStore } from '@ringflow/session';
import { TelephonyException } from '@ringflow/telephony';
import { asTenantId } from '@ringflow/tenancy';
import { QueueTelephony } from '../queue/queue-telephony';

const SENT_TTL_SECONDS = 7 * 24 * 3600;
const CLAIM_TTL_SECONDS = 60;

/** Once-only marker of a flow SMS: tenant-keyed, ids only (the recipient and text are never stored). */
export const flowSmsKey = (tenantId: string, idempotencyKey: string) => `rf:{${tenantId}}:flow-sms:${idempotencyKey}`;

/**
 * The sms node sends at once, through the tenant's Twilio account, from the number of the call (the number
 * dialled, or the campaign's caller id): `sent` means Twilio accepted the message. Once per idempotency key:
 * a replayed step sends nothing again. Twilio's refusal or a network fault is the node's `failed` branch.
 */
@Injectable()
export class FlowSmsPort implements SmsPort {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly sessions: CallSessionStore,
    private readonly telephony: QueueTelephony,
  ) {}

  async send(req: PortAction & { to: string; body: string }): Promise<PortOutcome> {
    const tenantId = asTenantId(req.tenant);
    const key = flowSmsKey(tenantId, req.idempotencyKey);
    const claimed = await this.redis.set(key, 'sending', 'EX', CLAIM_TTL_SECONDS, 'NX');
    if (!claimed) {
      const state = await this.redis.get(key);
      return state === 'sent' ? { kind: 'ok' } : { kind: 'failed', reason: 'this SMS is already being sent by another step' };
    }
    const from = (await this.sessions.load(tenantId, req.callSid))?.session.system.called;
    try {
      if (!from) throw new Error('the call has no number of the tenant to send from');
      await this.telephony.port.sendSms(await this.telephony.credentials(tenantId), { from, to: req.to, body: req.body });
    } catch (error) {
      await this.redis.del(key);
      const why = error instanceof TelephonyException ? `${error.code}${error.twilioCode ? ` (${error.twilioCode})` : ''}` : (error as Error).message;
      return { kind: 'failed', reason: `SMS not sent: ${why}` };
    }
    await this.redis.set(key, 'sent', 'EX', SENT_TTL_SECONDS);
    return { kind: 'ok' };
  }
}
