import { Inject, Injectable, Logger, type OnModuleDestroy, Optional } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS } from '@ringflow/database';
import type { TenantId } from '../tenant/tenant-id';

/** The Redis channel revocations are announced on; a message is `<tenant id>:<key id>`, nothing secret. */
export const API_KEY_REVOKED_CHANNEL = 'ringflow:api-key-revoked';

/** A key was revoked; or `reset`: the subscription was lost or (re)gained, and anything remembered may be stale. */
export type RevocationEvent = { kind: 'revoked'; keyId: string } | { kind: 'reset' };

/**
 * Tells every process at once that an API key was revoked (Redis pub/sub), so a process that remembers verified keys
 * (ApiKeyAuthenticator) forgets a revoked one before its next request. The subscription is opened on first use (workers,
 * which never authenticate, open none). `isLive()` is true only while it is confirmed: a revocation published while it
 * is not would be missed, so nothing may be remembered then. An app without Redis is never live.
 */
@Injectable()
export class ApiKeyRevocations implements OnModuleDestroy {
  private subscriber?: Redis;
  private subscribed = false;
  private closed = false;
  private readonly listeners: ((event: RevocationEvent) => void)[] = [];
  private readonly logger = new Logger(ApiKeyRevocations.name);

  constructor(@Optional() @Inject(REDIS) private readonly redis?: Redis) {}

  /** Whether revocations by any process reach this one now; the first call opens the subscription. */
  isLive(): boolean {
    if (!this.subscriber && this.redis && !this.closed) this.subscribe(this.redis);
    return this.subscribed;
  }

  onEvent(listener: (event: RevocationEvent) => void): void {
    this.listeners.push(listener);
  }

  /**
   * Announces a revocation already committed to Postgres (announced before the commit, another process could read the
   * key as still valid and remember it). This process hears it at once; a failure to publish is logged, not thrown:
   * the key is revoked, and other processes forget it when their entry lapses.
   */
  async announce(tenantId: TenantId, keyId: string): Promise<void> {
    this.emit({ kind: 'revoked', keyId });
    if (!this.redis) return;
    await this.redis.publish(API_KEY_REVOKED_CHANNEL, `${tenantId}:${keyId}`).catch((error: Error) => {
      this.logger.warn(`could not announce the revocation of API key ${keyId} to other processes: ${error.message}`);
    });
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    this.setSubscribed(false);
    const subscriber = this.subscriber;
    if (!subscriber) return;
    if (subscriber.status === 'ready') await subscriber.quit().catch(() => subscriber.disconnect());
    else subscriber.disconnect();
  }

  private subscribe(redis: Redis): void {
    const subscriber = redis.duplicate({ connectionName: 'ringflow-api-key-revocations', lazyConnect: false, autoResubscribe: false });
    this.subscriber = subscriber;
    subscriber.on('error', (error: Error) => this.logger.warn(`redis connection (API key revocations): ${error.message}`));
    subscriber.on('close', () => this.setSubscribed(false));
    // On every (re)connection: subscribe afresh, and count as live only once Redis confirms it.
    subscriber.on('ready', () => {
      subscriber.subscribe(API_KEY_REVOKED_CHANNEL).then(
        () => this.setSubscribed(subscriber.status === 'ready' && !this.closed),
        (error: Error) => this.logger.warn(`could not subscribe to API key revocations: ${error.message}`),
      );
    });
    subscriber.on('message', (channel: string, message: string) => {
      if (channel === API_KEY_REVOKED_CHANNEL) this.emit({ kind: 'revoked', keyId: message.slice(message.indexOf(':') + 1) });
    });
  }

  private setSubscribed(value: boolean): void {
    if (this.subscribed === value) return;
    this.subscribed = value;
    this.emit({ kind: 'reset' });
  }

  private emit(event: RevocationEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
