import { Inject, Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS } from '@ringflow/database';
import type { EmailPort, PortAction, PortOutcome } from '@ringflow/flow';
import { asTenantId, isEmailAddress, SmtpMailer, SmtpSendError } from '@ringflow/tenancy';
import { TenantSmtpSettings } from './tenant-smtp-settings';

const SENT_TTL_SECONDS = 7 * 24 * 3600;
const CLAIM_TTL_SECONDS = 60;

/** Once-only marker of a flow email: tenant-keyed, ids only (recipient, subject and body are never stored). */
export const flowEmailKey = (tenantId: string, idempotencyKey: string) => `rf:{${tenantId}}:flow-email:${idempotencyKey}`;

/**
 * The email node sends at once through the tenant's own SMTP server (SmtpMailer: the http node's address
 * policy, short timeouts): `sent` means the server accepted the message. Once per idempotency key: a
 * replayed step sends nothing again. No settings, a refused host, a timeout or the server's refusal is
 * the node's `failed` branch, with the reason in the log and in `nodes.<id>.error`.
 */
@Injectable()
export class SmtpEmailPort implements EmailPort {
  private readonly logger = new Logger(SmtpEmailPort.name);

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly settings: TenantSmtpSettings,
    private readonly mailer: SmtpMailer,
  ) {}

  async send(req: PortAction & { to: string; subject: string; body: string }): Promise<PortOutcome> {
    const tenantId = asTenantId(req.tenant);
    if (!isEmailAddress(req.to)) return this.failed(req, 'the recipient is not an email address');
    const smtp = await this.settings.get(tenantId);
    if (!smtp) return this.failed(req, 'email is not configured for this tenant (no SMTP settings)');

    const key = flowEmailKey(tenantId, req.idempotencyKey);
    const claimed = await this.redis.set(key, 'sending', 'EX', CLAIM_TTL_SECONDS, 'NX');
    if (!claimed) {
      const state = await this.redis.get(key);
      return state === 'sent' ? { kind: 'ok' } : this.failed(req, 'this email is already being sent by another step');
    }
    try {
      const messageId = await this.mailer.send(smtp, { to: req.to, subject: req.subject, text: req.body });
      await this.redis.set(key, 'sent', 'EX', SENT_TTL_SECONDS);
      this.logger.log(`tenant ${tenantId} call ${req.callSid}: email sent, message id ${messageId}`);
      return { kind: 'ok' };
    } catch (error) {
      await this.redis.del(key);
      return this.failed(req, error instanceof SmtpSendError ? error.message : `email not sent: ${(error as Error).message}`);
    }
  }

  private failed(req: PortAction, reason: string): PortOutcome {
    this.logger.warn(`tenant ${req.tenant} call ${req.callSid}: email node failed: ${reason}`);
    return { kind: 'failed', reason };
  }
}
