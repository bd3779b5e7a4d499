import type Redis from 'ioredis';
import { callSignalChannel } from './session-keys';

/** A subscription to one call's signal: wait for it (or the timeout), or cancel. */
export interface CallSignalListener {
  /** True when signalled, false on timeout or cancel. */
  wait(timeoutMs: number): Promise<boolean>;
  cancel(): void;
}

/**
 * Tells whoever holds a call's webhook that its variables changed (Redis pub/sub, so across replicas):
 * a `wait` node can move on at once instead of at its next poll. One subscriber connection per process.
 */
export class CallSignals {
  private subscriber: Redis | undefined;
  private readonly waiters = new Map<string, Set<() => void>>();

  constructor(private readonly redis: Redis) {}

  async notify(tenantId: string, callSid: string): Promise<void> {
    await this.redis.publish(callSignalChannel(tenantId, callSid), '1');
  }

  /** Subscribes before the caller checks the session, so a signal sent in between is not missed. */
  async listen(tenantId: string, callSid: string): Promise<CallSignalListener> {
    const channel = callSignalChannel(tenantId, callSid);
    const subscriber = this.connect();
    let fire: () => void = () => undefined;
    const fired = new Promise<boolean>((resolve) => (fire = () => resolve(true)));
    let set = this.waiters.get(channel);
    if (!set) {
      set = new Set();
      this.waiters.set(channel, set);
      await subscriber.subscribe(channel);
    }
    set.add(fire);
    let timer: NodeJS.Timeout | undefined;
    let settle: (value: boolean) => void = () => undefined;
    const done = () => {
      clearTimeout(timer);
      const current = this.waiters.get(channel);
      current?.delete(fire);
      if (current?.size === 0) {
        this.waiters.delete(channel);
        void subscriber.unsubscribe(channel).catch(() => undefined);
      }
    };
    return {
      wait: async (timeoutMs) => {
        const timedOut = new Promise<boolean>((resolve) => {
          settle = resolve;
          timer = setTimeout(() => resolve(false), timeoutMs);
        });
        const result = await Promise.race([fired, timedOut]);
        done();
        return result;
      },
      cancel: () => {
        settle(false);
        done();
      },
    };
  }

  async close(): Promise<void> {
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }

  private connect(): Redis {
    if (!this.subscriber) {
      this.subscriber = this.redis.duplicate();
      // Reconnects by itself; without a listener ioredis prints each connection error raw to stderr.
      this.subscriber.on('error', () => undefined);
      this.subscriber.on('message', (channel: string) => {
        for (const fire of this.waiters.get(channel) ?? []) fire();
      });
    }
    return this.subscriber;
  }
}
