import type { Simulator } from '../simulator';

export interface SimAccountCredentials {
  sid: string;
  token: string;
  cps: number;
  mps: number;
}

/** Small helpers for tests that talk to a running simulator over HTTP. */
export class SimTestClient {
  constructor(private readonly sim: Pick<Simulator, 'url'>) {}

  async control<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.sim.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as T };
  }

  async account(input: Partial<SimAccountCredentials> = {}): Promise<SimAccountCredentials> {
    const res = await this.control<SimAccountCredentials>('POST', '/sim/accounts', input);
    if (res.status !== 201 && res.status !== 200) throw new Error(`creating an account failed: ${JSON.stringify(res.body)}`);
    return res.body;
  }

  async number(accountSid: string, phoneNumber: string, urls: { voiceUrl?: string; smsUrl?: string; statusCallback?: string } = {}): Promise<void> {
    const res = await this.control('POST', '/sim/numbers', { accountSid, phoneNumber, ...urls });
    if (res.status !== 201 && res.status !== 200) throw new Error(`creating number ${phoneNumber} failed: ${JSON.stringify(res.body)}`);
  }

  /** A Twilio REST call with Basic auth, form-encoded like the SDK sends it. */
  async api(
    creds: { sid: string; token: string },
    method: 'GET' | 'POST',
    path: string,
    form?: Record<string, string | string[]>,
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(form ?? {})) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    const res = await fetch(`${this.sim.url}/2010-04-01/Accounts/${creds.sid}${path}`, {
      method,
      headers: {
        authorization: `Basic ${Buffer.from(`${creds.sid}:${creds.token}`).toString('base64')}`,
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: form ? body.toString() : undefined,
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  /** Resolves with the control API's view of a call once it has ended. */
  async callEnded(callSid: string, timeoutMs = 10_000): Promise<Record<string, unknown> & { heard: string[]; lines: string[]; status: string; failure: string | null }> {
    const res = await this.control<Record<string, unknown>>('GET', `/sim/calls/${callSid}/end?timeoutMs=${timeoutMs}`);
    if (res.status !== 200) throw new Error(`call ${callSid}: ${JSON.stringify(res.body)}`);
    return res.body as Record<string, unknown> & { heard: string[]; lines: string[]; status: string; failure: string | null };
  }
}
