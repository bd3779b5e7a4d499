import { startSimulator, type Simulator } from '../../simulator';
import { OpenApiResponseValidator } from '../../testing/openapi-response-validator';
import { type SimAccountCredentials, SimTestClient } from '../../testing/sim-test-client';

const API = '/2010-04-01/Accounts/{AccountSid}';
const NUMBER = '+15550100101';
const PHONE = '+15550133301';
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('telephony-sim: Calls list filters (To, From, StartTime, StartTime<, StartTime>, EndTime...)', () => {
  let sim: Simulator;
  let client: SimTestClient;
  let acct: SimAccountCredentials;
  const openapi = new OpenApiResponseValidator();

  const list = async (query: Record<string, string>) => {
    const res = await client.api(acct, 'GET', `/Calls.json?${new URLSearchParams(query)}`);
    if (res.status === 200) expect(openapi.errors('api', `${API}/Calls.json`, 'get', 200, res.body)).toEqual([]);
    return res;
  };
  const sids = async (query: Record<string, string>) => ((await list(query)).body.calls as Array<{ sid: string }>).map((c) => c.sid);

  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    client = new SimTestClient(sim);
    acct = await client.account({ cps: 50 });
    await client.number(acct.sid, NUMBER);
  });
  afterAll(() => sim.close());

  it('filters by start and end time as Twilio documents; a call not started yet has no start time and is left out', async () => {
    const placed = await client.api(acct, 'POST', '/Calls.json', { To: PHONE, From: NUMBER, Twiml: '<Response><Hangup/></Response>' });
    expect(placed.status).toBe(201);
    const call = sim.store.calls.get(String(placed.body.sid))!;
    const startedAt = Date.parse('2026-03-04T10:00:00Z');
    call.startTime = new Date(startedAt);
    call.endTime = new Date(startedAt + 30_000);

    expect(await sids({ To: PHONE, From: NUMBER })).toEqual([call.sid]);
    expect(await sids({ To: PHONE, 'StartTime>': iso(startedAt) })).toEqual([call.sid]);
    expect(await sids({ To: PHONE, 'StartTime>': iso(startedAt + 1000) })).toEqual([]);
    expect(await sids({ To: PHONE, 'StartTime<': '2026-03-03' })).toEqual([]);
    expect(await sids({ To: PHONE, StartTime: '2026-03-04' })).toEqual([call.sid]);
    expect(await sids({ To: PHONE, 'EndTime<': iso(startedAt + 29_000) })).toEqual([]);
    expect(await sids({ To: PHONE, 'EndTime>': '2026-03-04' })).toEqual([call.sid]);

    call.startTime = null;
    call.endTime = null;
    expect(await sids({ To: PHONE, 'StartTime>': '2008-01-02' })).toEqual([]);
    expect(await sids({ To: PHONE })).toEqual([call.sid]);
  });

  it('answers 400 naming the filter whose date it cannot read', async () => {
    const res = await list({ To: PHONE, 'StartTime>': 'yesterday-ish' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 400, code: 20001, message: expect.stringContaining('StartTime>') });
  });
});
