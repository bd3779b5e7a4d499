import twilio from 'twilio';

type RequestOptions<T> = Parameters<InstanceType<typeof twilio.RequestClient>['request']>[0] & { data?: T };
type Response<T> = Awaited<ReturnType<InstanceType<typeof twilio.RequestClient>['request']>> & { body: T };

/** A RestException (what the SDK throws for an error answer) that also carries Twilio's `Retry-After`, in ms. */
export type RestExceptionWithRetryAfter = InstanceType<typeof twilio.RestException> & { retryAfterMs: number };

/** `Retry-After` in seconds or as an HTTP date, in ms from `now`; null when absent or unreadable. */
export function retryAfterMs(value: unknown, now = Date.now()): number | null {
  const raw = Array.isArray(value) ? value[0] : value;
  if (typeof raw !== 'string' && typeof raw !== 'number') return null;
  const text = String(raw).trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * The SDK's HTTP client, keeping what the SDK drops: a 429 answer's `Retry-After` header. Such an answer is
 * thrown here as the SDK's own RestException with `retryAfterMs` set; every other answer goes back to the SDK.
 */
export class RetryAfterRequestClient extends twilio.RequestClient {
  override async request<TData>(opts: RequestOptions<TData>): Promise<Response<TData>> {
    const response = (await super.request<TData>(opts)) as Response<TData>;
    if (response.statusCode === 429) {
      const headers = (response.headers ?? {}) as Record<string, unknown>;
      const wait = retryAfterMs(headers['retry-after'] ?? headers['Retry-After']);
      if (wait !== null) throw Object.assign(new twilio.RestException(response), { retryAfterMs: wait });
    }
    return response;
  }
}
