// The soak's steady load: inbound calls through the simulator, inbound SMS, a new small push campaign every few
// minutes, and redemptions of the coupons those campaigns issue. Every answer is checked against what the caller,
// texter or merchant should see; anything else is counted as an error by kind.
import { createServer, type Server } from 'node:http';
import { daytimeZone } from '@ringflow/testing';
import { FALLBACK_PHRASES } from './timing-proxy';
import type { Recorder } from './recorder';
import { A_SAYS, type AdminClient, B_SAYS, type SoakTenant } from './tenants';

interface CallView { sid: string; status: string; heard: string[]; failure?: string | null; lines: string[] }

/** The tenant's CRM: a balance by phone; 404 for numbers ending in 0, premium for even last digits. */
export async function startCrmStub(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const phone = new URL(req.url ?? '/', 'http://stub').searchParams.get('phone') ?? '';
    const last = Number(phone.slice(-1));
    if (!req.url?.startsWith('/accounts') || !phone || last === 0) return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"no such account"}');
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ account: { balance: 100 + last, tier: last % 2 === 0 ? 'premium' : 'standard' } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server };
}

const randomDigits = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join('');

/** Runs `tick` every `everyMs` (open loop: a slow answer does not slow the rate) until stopped. */
export class Steady {
  private timer?: NodeJS.Timeout;
  private n = 0;
  readonly pending = new Set<Promise<void>>();
  constructor(private readonly everyMs: number, private readonly tick: (n: number) => Promise<void>, private readonly onError: (e: Error) => void) {}
  start(): void {
    const fire = () => {
      const p = this.tick(this.n++).catch(this.onError).finally(() => this.pending.delete(p));
      this.pending.add(p);
    };
    fire();
    this.timer = setInterval(fire, this.everyMs);
  }
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all([...this.pending]);
  }
}

export class InboundCalls {
  readonly completed = new Map<string, Set<string>>();
  /** Calls of A that heard the flow confirm its SMS: each should have a message from A's number. */
  textedCalls = 0;
  private inflight = 0;
  constructor(private readonly client: AdminClient, private readonly recorder: Recorder, private readonly a: SoakTenant, private readonly b: SoakTenant, private readonly maxInflight: number) {
    this.completed.set(a.tenantId, new Set()).set(b.tenantId, new Set());
  }

  async tick(n: number): Promise<void> {
    if (this.inflight >= this.maxInflight) return this.recorder.error('inbound-call-not-started (driver backlog: calls too slow)', false);
    const tenant = n % 5 === 4 ? this.b : this.a;
    const from = `+1650${randomDigits(7)}`;
    const last = Number(from.slice(-1));
    let presses: Array<string | null>;
    let expect: string[];
    if (tenant === this.b) [presses, expect] = [['1'], [B_SAYS.news]];
    else if (n % 10 < 6) [presses, expect] = [['1'], last === 0 ? [A_SAYS.notFound] : [last % 2 === 0 ? A_SAYS.premium : A_SAYS.balance, A_SAYS.texted]];
    else if (n % 10 < 8) [presses, expect] = [['2'], [A_SAYS.texted]];
    else if (n % 10 === 8) [presses, expect] = [[], [A_SAYS.goodbye]];
    else [presses, expect] = [['7', '7'], [A_SAYS.goodbye]];
    this.inflight++;
    const t0 = performance.now();
    try {
      const call = await this.client.sim<CallView>('POST', '/sim/calls', { from, to: tenant.inbound, script: { presses }, wait: true, timeoutMs: 60_000 });
      this.recorder.latencyOf('inbound-call', performance.now() - t0);
      this.check(tenant, call, expect);
    } catch (error) {
      this.recorder.error('inbound-call-failed (simulator answer)', false, (error as Error).message);
    } finally {
      this.inflight--;
    }
  }

  private check(tenant: SoakTenant, call: CallView, expect: string[]): void {
    const heard = call.heard.join(' | ');
    if (call.status !== 'completed') return this.recorder.error(`inbound-call-${call.status}`, false, `${call.sid} ${call.failure ?? ''} ${heard}`);
    this.completed.get(tenant.tenantId)!.add(call.sid);
    this.recorder.count(`inbound calls completed (${tenant.name})`);
    const lower = heard.toLowerCase();
    if (FALLBACK_PHRASES.some((p) => lower.includes(p))) this.recorder.error('fallback-heard (inbound call)', false, `${call.sid}: ${heard}`);
    else if (heard.includes(A_SAYS.textFailed)) this.recorder.error('flow-sms-failed (caller heard it)', false, call.sid);
    else if (!expect.every((phrase) => heard.includes(phrase))) this.recorder.error('inbound-call-heard-unexpected', false, `${call.sid} expected ${expect.join(' + ')}; heard ${heard}`);
    if (heard.includes(tenant.name === 'A' ? 'Soak B' : 'Soak A')) this.recorder.error('TENANT-MIX: caller heard the other tenant', false, `${call.sid}: ${heard}`);
    if (heard.includes(A_SAYS.texted)) this.textedCalls++;
  }
}

/** STOP, START, HELP from members of the public; YES, AWAY, BACK from the agent; small talk. */
export class InboundSms {
  constructor(private readonly client: AdminClient, private readonly recorder: Recorder, private readonly a: SoakTenant, private readonly b: SoakTenant) {}
  private texter = `+1707${randomDigits(7)}`;

  async tick(n: number): Promise<void> {
    const script = ['STOP', 'START', 'HELP', 'YES', 'AWAY', 'BACK', 'hello'];
    const body = script[n % script.length];
    if (body === 'STOP') this.texter = `+1707${randomDigits(7)}`;
    const from = ['YES', 'AWAY', 'BACK'].includes(body) ? this.a.agentPhone! : this.texter;
    const to = n % 7 === 6 && n % 2 === 0 ? this.b.inbound : this.a.inbound;
    try {
      const answer = await this.client.sim<{ failure?: string | null }>('POST', '/sim/sms', { from, to, body });
      if (answer.failure) this.recorder.error('sms-inbound-failure', false, `${body}: ${answer.failure}`);
      else this.recorder.count(`inbound SMS answered (${body})`);
    } catch (error) {
      this.recorder.error('sms-inbound-failed (simulator answer)', false, (error as Error).message);
    }
  }
}

interface Issued { serial: string; campaignId: string }

/** A new small push campaign on each tick; coupon SMS collected as they arrive; redemptions at a steady rate. */
export class Campaigns {
  readonly campaignIds: string[] = [];
  readonly contactsByCampaign = new Map<string, number>();
  private readonly campaignOfPhone = new Map<string, string>();
  private readonly seenMessages = new Set<string>();
  readonly toRedeem: Issued[] = [];
  /** serial -> campaign, for every 200 the merchant got. */
  readonly redeemed = new Map<string, string>();
  private seq = 0;

  constructor(private readonly client: AdminClient, private readonly recorder: Recorder, private readonly a: SoakTenant, private readonly contacts: number, private readonly cps: number) {}

  async launch(n: number): Promise<void> {
    const admin = this.a.adminKey;
    const zone = daytimeZone();
    const rows: Array<{ phone: string; name: string; timeZone: string }> = [];
    for (let j = 0; j < this.contacts; j++) {
      const phone = `+1212${String(5_000_000 + this.seq++).padStart(7, '0')}`;
      const k = j % 20;
      const script = k < 14 ? { presses: ['1'] } : k < 16 ? { presses: ['9'] } : k === 16 ? { answer: 'busy' } : k === 17 ? { answer: 'no-answer' } : k === 18 ? { presses: [] } : { answer: 'machine' };
      await this.client.sim('PUT', `/sim/phones/${encodeURIComponent(phone)}`, script);
      rows.push({ phone, name: `Contact ${this.seq}`, timeZone: zone });
    }
    const { createContactList } = await this.client.gql(admin, 'mutation($n: String!) { createContactList(name: $n) { id } }', { n: `Soak audience ${n}` });
    const { importContacts } = await this.client.gql(admin, 'mutation($l: ID!, $r: [ContactInput!]) { importContacts(listId: $l, rows: $r) { imported errors { message } } }', { l: createContactList.id, r: rows });
    if (importContacts.imported !== rows.length) this.recorder.error('contact-import-short', false, JSON.stringify(importContacts.errors).slice(0, 300));
    const { createCampaign } = await this.client.gql(admin, 'mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { id } }', {
      i: { name: `Soak push ${n}`, listId: createContactList.id, callerId: this.a.campaignCallerId, flowId: this.a.pushFlowId, flowVersion: 1, callsPerSecond: this.cps, maxConcurrentCalls: 5, maxAttempts: 1 },
    });
    await this.client.gql(admin, 'mutation($id: ID!) { launchCampaign(id: $id) { status } }', { id: createCampaign.id });
    this.campaignIds.push(createCampaign.id);
    this.contactsByCampaign.set(createCampaign.id, rows.length);
    for (const row of rows) this.campaignOfPhone.set(row.phone, createCampaign.id);
    this.recorder.count('campaigns launched');
  }

  /** Reads the coupon SMS the simulator's phones received (they come from the campaign caller id). */
  async collect(): Promise<void> {
    const messages = await this.client.sim<Array<{ sid: string; to: string; body: string; status: string }>>('GET', `/sim/messages?from=${encodeURIComponent(this.a.campaignCallerId!)}`);
    for (const message of messages) {
      if (this.seenMessages.has(message.sid)) continue;
      this.seenMessages.add(message.sid);
      const serial = /Your code: ([0-9A-Z-]+)/.exec(message.body)?.[1];
      const campaignId = this.campaignOfPhone.get(message.to);
      if (!serial || !campaignId) {
        this.recorder.error('coupon-sms-unreadable', false, message.body);
        continue;
      }
      this.recorder.count('coupon SMS received');
      this.toRedeem.push({ serial, campaignId });
    }
  }

  private async redeem(key: string, serial: string): Promise<{ status: number; body: string }> {
    const t0 = performance.now();
    const response = await fetch(`${this.client.at.gatewayUrl}/api/v1/redemptions`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ serial, orderAmount: '12.50' }), signal: AbortSignal.timeout(30_000),
    });
    const body = await response.text();
    this.recorder.latencyOf('redemption', performance.now() - t0);
    return { status: response.status, body };
  }

  /** One redemption: the next coupon issued; every tenth tick, a serial redeemed before (must be 409). */
  async redeemNext(n: number): Promise<void> {
    if (n % 10 === 9 && this.redeemed.size > 0) {
      const serials = [...this.redeemed.keys()];
      const again = await this.redeem(this.a.merchantKey!, serials[Math.floor(Math.random() * serials.length)]);
      if (again.status === 409) this.recorder.error('redemption-409 (a serial redeemed before: the answer asked for)', true);
      else this.recorder.error(`redemption-${again.status} on a second redemption (409 expected)`, false, again.body);
      return;
    }
    const next = this.toRedeem.shift();
    if (!next) return this.recorder.count('redemption ticks with no coupon waiting');
    const answer = await this.redeem(this.a.merchantKey!, next.serial);
    if (answer.status === 200) {
      if (this.redeemed.has(next.serial)) this.recorder.error('DOUBLE-REDEMPTION', false, next.serial);
      this.redeemed.set(next.serial, next.campaignId);
      this.recorder.count('coupons redeemed');
    } else {
      this.recorder.error(`redemption-${answer.status}`, false, answer.body);
    }
  }

  /** A malformed serial from the probe merchant: must be 422 and name the field. */
  async probe(): Promise<void> {
    const answer = await this.redeem(this.a.probeMerchantKey!, 'NOT-A-SERIAL');
    if (answer.status === 422 && answer.body.includes('serial')) this.recorder.error('redemption-422 (malformed serial, on purpose)', true);
    else this.recorder.error(`redemption-${answer.status} for a malformed serial (422 expected)`, false, answer.body);
  }
}
