import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS } from '@ringflow/database';

const TTL_SECONDS = 7 * 24 * 3600;

/** Remembers (ids only, 7 days) which inbound messages were handled, so a retried webhook acts once. */
@Injectable()
export class InboundMessageOnce {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  /** True the first time this message is seen. */
  async first(tenantId: string, messageSid: string): Promise<boolean> {
    return (await this.redis.set(`rf:{${tenantId}}:sms-in:${messageSid}`, '1', 'EX', TTL_SECONDS, 'NX')) === 'OK';
  }
}
