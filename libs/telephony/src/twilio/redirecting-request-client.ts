import twilio from 'twilio';
import { RetryAfterRequestClient } from './retry-after-request-client';

type RequestOptions<T> = Parameters<InstanceType<typeof twilio.RequestClient>['request']>[0] & { data?: T };

/** The header that tells the simulator which Twilio host a request was meant for. */
export const ORIGINAL_HOST_HEADER = 'X-Twilio-Original-Host';

/**
 * The official SDK's HTTP client, pointed elsewhere: every request keeps its path and query but
 * goes to `baseUrl`'s scheme and host (the simulator), with the Twilio host it was meant for
 * (api.twilio.com, lookups.twilio.com, ...) in `X-Twilio-Original-Host`. A 429's `Retry-After` is kept.
 */
export class RedirectingRequestClient extends RetryAfterRequestClient {
  private readonly base: URL;

  constructor(baseUrl: string, opts?: ConstructorParameters<typeof twilio.RequestClient>[0]) {
    super(opts);
    this.base = new URL(baseUrl);
  }

  override request<TData>(opts: RequestOptions<TData>) {
    const target = new URL(opts.uri);
    const originalHost = target.host;
    target.protocol = this.base.protocol;
    target.host = this.base.host;
    const basePath = this.base.pathname.replace(/\/$/, '');
    target.pathname = `${basePath}${target.pathname}`;
    return super.request<TData>({
      ...opts,
      uri: target.toString(),
      headers: { ...(opts.headers ?? {}), [ORIGINAL_HOST_HEADER]: originalHost },
    });
  }
}
