import { createHash } from 'node:crypto';
import twilio from 'twilio';
import type { TelephonyCredentials } from '../telephony-credentials';
import { RedirectingRequestClient } from './redirecting-request-client';
import { RetryAfterRequestClient } from './retry-after-request-client';

export type TwilioClient = ReturnType<typeof twilio>;

export interface TwilioClientOptions {
  /** The simulator's URL (`TWILIO_API_BASE_URL`); unset means the real Twilio. */
  apiBaseUrl?: string;
  /** Request timeout in milliseconds. */
  timeoutMs?: number;
}

/**
 * One SDK client per tenant account, built on first use and reused. A rotated auth token
 * gets a new client: the key includes a hash of the token, never the token itself.
 */
export class TwilioClientCache {
  private readonly clients = new Map<string, TwilioClient>();

  constructor(private readonly options: TwilioClientOptions = {}) {}

  get(creds: TelephonyCredentials): TwilioClient {
    const key = `${creds.accountSid}/${createHash('sha256').update(creds.authToken).digest('hex').slice(0, 16)}`;
    let client = this.clients.get(key);
    if (!client) {
      for (const k of this.clients.keys()) if (k.startsWith(`${creds.accountSid}/`)) this.clients.delete(k);
      const timeout = this.options.timeoutMs ?? 15_000;
      const httpClient = this.options.apiBaseUrl
        ? new RedirectingRequestClient(this.options.apiBaseUrl, { timeout, keepAlive: true })
        : new RetryAfterRequestClient({ timeout, keepAlive: true });
      client = twilio(creds.accountSid, creds.authToken, { httpClient });
      this.clients.set(key, client);
    }
    return client;
  }

  get size(): number {
    return this.clients.size;
  }
}
