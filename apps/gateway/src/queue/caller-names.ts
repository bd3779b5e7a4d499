import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS } from '@ringflow/database';
import type { TenantId } from '@ringflow/tenancy';
import { safeMessage } from './background-tasks';
import { QueueTelephony } from './queue-telephony';

const TTL_SECONDS = 7 * 24 * 3600;

/**
 * Callers' names from Twilio's caller-name lookup (a paid request), cached per tenant for a week,
 * "no name" included. The key holds a hash of the number, never the number.
 */
@Injectable()
export class CallerNames {
  private readonly logger = new Logger(CallerNames.name);

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly telephony: QueueTelephony,
  ) {}

  /** The name, or null when none is known or the lookup failed (the notice then shows the number alone). */
  async nameOf(tenantId: TenantId, number: string): Promise<string | null> {
    const key = `rf:{${tenantId}}:pq:cnam:${createHash('sha256').update(number).digest('hex').slice(0, 32)}`;
    const cached = await this.redis.get(key);
    if (cached !== null) return cached === '' ? null : cached;
    try {
      const found = await this.telephony.port.lookupCallerName(await this.telephony.credentials(tenantId), number);
      const name = found.callerName?.trim() || null;
      await this.redis.set(key, name ?? '', 'EX', TTL_SECONDS);
      return name;
    } catch (error) {
      this.logger.warn(`tenant ${tenantId}: caller-name lookup failed (${safeMessage(error)})`);
      return null;
    }
  }
}
