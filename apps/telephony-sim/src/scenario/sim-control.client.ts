/** A call as the simulator's control API shows it. */
export interface SimCallView {
  sid: string;
  from: string;
  to: string;
  direction: string;
  status: string;
  answeredBy: string | null;
  durationSeconds: number;
  failure: string | null;
  heard: string[];
  lines: string[];
}

export interface SimMessageView {
  sid: string;
  from: string;
  to: string;
  body: string;
  status: string;
  direction: string;
}

/** The simulator's /sim control API over HTTP: what the scenario runner and CLI drive. */
export class SimControlClient {
  constructor(private readonly baseUrl: string) {}

  async request<T>(method: string, path: string, body?: unknown, okStatuses = [200, 201]): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      throw new Error(`the simulator at ${this.baseUrl} is unreachable (${method} ${path}): ${(err as Error).message}`, { cause: err });
    }
    const payload = (await res.json().catch(() => ({}))) as T & { error?: string; issues?: string[] };
    if (!okStatuses.includes(res.status)) {
      throw new Error(`${method} ${path} -> ${res.status}: ${payload.error ?? ''} ${(payload.issues ?? []).join('; ')}`.trim());
    }
    return payload;
  }

  createAccount(input: { sid?: string; token?: string; cps?: number; mps?: number }): Promise<{ sid: string; token: string }> {
    return this.request('POST', '/sim/accounts', input);
  }

  createNumber(input: { accountSid: string; phoneNumber: string; voiceUrl?: string; smsUrl?: string; statusCallback?: string }): Promise<unknown> {
    return this.request('POST', '/sim/numbers', input);
  }

  setPhone(number: string, script: Record<string, unknown>): Promise<unknown> {
    return this.request('PUT', `/sim/phones/${encodeURIComponent(number)}`, script);
  }

  startCall(input: { from: string; to: string; script: Record<string, unknown> }): Promise<SimCallView> {
    return this.request('POST', '/sim/calls', input);
  }

  calls(query: Record<string, string>): Promise<SimCallView[]> {
    return this.request('GET', `/sim/calls?${new URLSearchParams(query)}`);
  }

  waitForCallEnd(sid: string, timeoutMs: number): Promise<SimCallView> {
    return this.request('GET', `/sim/calls/${sid}/end?timeoutMs=${timeoutMs}`);
  }

  sendSms(input: { from: string; to: string; body: string }): Promise<{ replies: SimMessageView[]; failure: string | null }> {
    return this.request('POST', '/sim/sms', input);
  }

  messages(query: Record<string, string> = {}): Promise<SimMessageView[]> {
    return this.request('GET', `/sim/messages?${new URLSearchParams(query)}`);
  }
}
