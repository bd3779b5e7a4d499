import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import { PUBLIC_BASE_URL, type TestTenant } from './gateway-harness';
import { nextUrl } from './twiml-reader';

export interface WebhookAnswer {
  status: number;
  body: string;
}

/** Posts a form to the gateway signed exactly as Twilio signs it: the public URL plus the sorted fields, with the tenant's token. */
export async function postSigned(gatewayUrl: string, authToken: string, path: string, params: Record<string, string>, signature?: string): Promise<WebhookAnswer> {
  const publicUrl = `${PUBLIC_BASE_URL}${path}`;
  const response = await fetch(`${gatewayUrl}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': signature ?? twilio.getExpectedTwilioSignature(authToken, publicUrl, params),
    },
    body: new URLSearchParams(params).toString(),
  });
  return { status: response.status, body: await response.text() };
}

/**
 * One inbound call as Twilio would drive it: the first webhook, then each Gather action or Redirect the
 * gateway's TwiML names. With several gateway URLs, each step goes to the next one in turn.
 */
export class SignedCall {
  readonly callSid = `CA${randomBytes(16).toString('hex')}`;
  last: WebhookAnswer = { status: 0, body: '' };
  private turn = 0;

  constructor(
    private readonly gatewayUrls: string[],
    private readonly tenant: TestTenant,
    readonly from = '+15551230001',
    /** An outbound call (answer URL): the tenant's number calls `from`. */
    private readonly outbound = false,
  ) {}

  private base(): Record<string, string> {
    const [from, to] = this.outbound ? [this.tenant.number, this.from] : [this.from, this.tenant.number];
    return {
      CallSid: this.callSid, AccountSid: this.tenant.accountSid, From: from, To: to, Caller: from, Called: to,
      Direction: this.outbound ? 'outbound-api' : 'inbound', CallStatus: 'in-progress', ApiVersion: '2010-04-01',
    };
  }

  private nextGateway(): string {
    return this.gatewayUrls[this.turn++ % this.gatewayUrls.length];
  }

  async start(): Promise<string> {
    this.last = await postSigned(this.nextGateway(), this.tenant.authToken, '/twilio/voice', { ...this.base(), CallStatus: 'ringing' });
    return this.last.body;
  }

  /** The path and query of the URL the last TwiML says Twilio should post to next. */
  nextPath(): string {
    const url = nextUrl(this.last.body);
    if (!url) throw new Error(`the last TwiML has nowhere to go next:\n${this.last.body}`);
    if (!url.startsWith(PUBLIC_BASE_URL)) throw new Error(`callback URL ${url} is not under ${PUBLIC_BASE_URL}`);
    return url.slice(PUBLIC_BASE_URL.length);
  }

  /** Answers the last Gather with keys (empty: the caller pressed nothing), or follows a Redirect. */
  async press(digits?: string, extra: Record<string, string> = {}): Promise<string> {
    const params = { ...this.base(), ...(digits !== undefined ? { Digits: digits } : {}), ...extra };
    this.last = await postSigned(this.nextGateway(), this.tenant.authToken, this.nextPath(), params);
    return this.last.body;
  }

  async status(callStatus: string, duration = '37'): Promise<WebhookAnswer> {
    return postSigned(this.nextGateway(), this.tenant.authToken, '/twilio/voice/status', { ...this.base(), CallStatus: callStatus, CallDuration: duration });
  }
}
