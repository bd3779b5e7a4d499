import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS } from '@ringflow/database';
import type { PortAction, PortOutcome, SmsPort } from '@ringflow/flow';
import { CallSessionStore } from '@ringflow/session';
import { TelephonyException, TelephonyExceptionCode } from '@ringflow/telephony';
import { asTenantId } from '@ringflow/tenancy';
import { QueueTelephony } from '../queue/queue-telephony';

const SENT_TTL_SECONDS = 7 * 24 * 3600;
const CLAIM_TTL_SECONDS = 60;
/**
 * How long an sms node keeps trying through Twilio's 429s while the caller waits for the next prompt (Twilio
 * waits 15 s for a webhook's answer); past it the node takes its `failed` branch.
 */
export const FLOW_SMS_RATE_LIMIT_BUDGET_MS = 3000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The wait before the `attempt`-th retry after a 429: Twilio's Retry-After, else 100 ms doubling, jittered. */
function rateLimitWaitMs(error: TelephonyException, attempt: number): number {
  if (error.retryAfterMs !== null) return error.retryAfterMs;
  const ceiling = Math.min(1000, 100 * 2 ** attempt);
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

/** Once-only marker of a flow SMS: tenant-keyed, ids only (the recipient and text are never stored). */
export const flowSmsKey = (tenantId: string, idempotencyKey: string) => `rf:{${tenantId}}:flow-sms:${idempotencyKey}`;

/**
 * The sms node sends at once, through the tenant's Twilio account, from the number of the call (the number
 * dialled, or the campaign's caller id): `sent` means Twilio accepted the message. Once per idempotency key:
 * a replayed step sends nothing again. A 429 is retried while the caller can wait (FLOW_SMS_RATE_LIMIT_BUDGET_MS);
 * Twilio's refusal, a longer 429 spell or a network fault is the node's `failed` branch (a network fault is not
 * retried: Twilio may have accepted the message).
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
      const creds = await this.telephony.credentials(tenantId);
      const deadline = Date.now() + FLOW_SMS_RATE_LIMIT_BUDGET_MS;
      for (let attempt = 0; ; attempt++) {
        try {
          await this.telephony.port.sendSms(creds, { from, to: req.to, body: req.body });
          break;
        } catch (error) {
          const wait = error instanceof TelephonyException && error.code === TelephonyExceptionCode.RateLimited ? rateLimitWaitMs(error, attempt) : null;
          if (wait === null || Date.now() + wait > deadline) throw error;
          await sleep(wait);
        }
      }
    } catch (error) {
      await this.redis.del(key);
      const why = error instanceof TelephonyException ? `${error.code}${error.twilioCode ? ` (${error.twilioCode})` : ''}` : (error as Error).message;
      return { kind: 'failed', reason: `SMS not sent: ${why}` };
    }
    await this.redis.set(key, 'sent', 'EX', SENT_TTL_SECONDS);
    return { kind: 'ok' };
  }
}
