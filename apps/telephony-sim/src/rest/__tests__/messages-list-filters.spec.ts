import { startSimulator, type Simulator } from '../../simulator';
import { parseSentBound } from '../../sms/message-list-filter';
import { OpenApiResponseValidator } from '../../testing/openapi-response-validator';
import { type SimAccountCredentials, SimTestClient } from '../../testing/sim-test-client';

const API = '/2010-04-01/Accounts/{AccountSid}';
const NUMBER = '+15550100001';
const PHONE = '+15550133333';
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('telephony-sim: Messages list filters (To, From, DateSent, DateSent<, DateSent>)', () => {
  let sim: Simulator;
  let client: SimTestClient;
  let acct: SimAccountCredentials;
  const openapi = new OpenApiResponseValidator();

  const list = async (query: Record<string, string>) => {
    const res = await client.api(acct, 'GET', `/Messages.json?${new URLSearchParams(query)}`);
    if (res.status === 200) expect(openapi.errors('api', `${API}/Messages.json`, 'get', 200, res.body)).toEqual([]);
    return res;
  };
  const sids = async (query: Record<string, string>) => ((await list(query)).body.messages as Array<{ sid: string }>).map((m) => m.sid);

  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    client = new SimTestClient(sim);
    acct = await client.account({ mps: 50 });
    await client.number(acct.sid, NUMBER);
    await client.number(acct.sid, '+15550100009');
  });
  afterAll(() => sim.close());

  it('filters by recipient, sender and send date as Twilio does, newest first; a message not sent yet has no send date', async () => {
    const first = await client.api(acct, 'POST', '/Messages.json', { To: PHONE, From: NUMBER, Body: 'one' });
    const other = await client.api(acct, 'POST', '/Messages.json', { To: '+15550144444', From: NUMBER, Body: 'elsewhere' });
    const fromOther = await client.api(acct, 'POST', '/Messages.json', { To: PHONE, From: '+15550100009', Body: 'other sender' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const sentAt = sim.store.messages.get(String(first.body.sid))?.dateSent?.getTime() ?? 0;
    expect(sentAt).toBeGreaterThan(0);

    expect(await sids({ To: PHONE })).toEqual([fromOther.body.sid, first.body.sid]);
    expect(await sids({ To: PHONE, From: NUMBER })).toEqual([first.body.sid]);
    expect(await sids({ From: NUMBER })).toEqual([other.body.sid, first.body.sid]);

    // The SDK sends dateSentAfter / dateSentBefore as ISO 8601 to the second: `>` is on or after, `<` on or before.
    expect(await sids({ To: PHONE, From: NUMBER, 'DateSent>': iso(sentAt) })).toEqual([first.body.sid]);
    expect(await sids({ To: PHONE, 'DateSent>': iso(sentAt + 2000) })).toEqual([]);
    expect(await sids({ To: PHONE, From: NUMBER, 'DateSent<': iso(sentAt) })).toEqual([first.body.sid]);
    expect(await sids({ To: PHONE, 'DateSent<': iso(sentAt - 2000) })).toEqual([]);
    const today = new Date(sentAt).toISOString().slice(0, 10);
    expect(await sids({ To: PHONE, From: NUMBER, DateSent: today })).toEqual([first.body.sid]);
    expect(await sids({ To: PHONE, DateSent: '2008-01-02' })).toEqual([]);

    // Still queued (not sent): no date_sent, so any DateSent filter leaves it out, while the plain list shows it.
    const queued = sim.store.messages.get(String(first.body.sid))!;
    queued.status = 'queued';
    queued.dateSent = null;
    expect(await sids({ To: PHONE, From: NUMBER, 'DateSent>': '2008-01-02' })).toEqual([]);
    expect(await sids({ To: PHONE, From: NUMBER })).toEqual([first.body.sid]);
  });

  it('lists a new message only after SIM_MESSAGE_LIST_LAG_MS (eventual consistency), while fetching it works at once', async () => {
    process.env.SIM_MESSAGE_LIST_LAG_MS = '400';
    try {
      const created = await client.api(acct, 'POST', '/Messages.json', { To: '+15550155555', From: NUMBER, Body: 'lagging' });
      expect(await sids({ To: '+15550155555' })).toEqual([]);
      expect((await client.api(acct, 'GET', `/Messages/${created.body.sid}.json`)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 450));
      expect(await sids({ To: '+15550155555' })).toEqual([created.body.sid]);
    } finally {
      delete process.env.SIM_MESSAGE_LIST_LAG_MS;
    }
  });

  it('answers 400 naming the filter whose date it cannot read', async () => {
    const res = await list({ To: PHONE, 'DateSent>': 'yesterday-ish' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 400, code: 20001, message: expect.stringContaining('DateSent>') });
  });

  it("reads the date formats of Twilio's OpenAPI examples", () => {
    const at = (v: string) => parseSentBound(v)?.start;
    expect(at('2008-01-02')).toBe(Date.UTC(2008, 0, 2));
    expect(parseSentBound('2008-01-02')?.end).toBe(Date.UTC(2008, 0, 3));
    expect(at('2019-06-11 22:05:25.000')).toBe(Date.UTC(2019, 5, 11, 22, 5, 25));
    expect(at('Wed, 19 Jun 2019 22:04:00 -0000')).toBe(Date.UTC(2019, 5, 19, 22, 4, 0));
    expect(at('06/11/2019 22:05:25 MST')).toBe(Date.UTC(2019, 5, 12, 5, 5, 25));
    expect(at('2019-06-11T22:05:25Z')).toBe(Date.UTC(2019, 5, 11, 22, 5, 25));
    expect(parseSentBound('not a date')).toBeNull();
  });
});
