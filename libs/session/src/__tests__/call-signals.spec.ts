import { randomBytes, randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { CallSignals } from '../call-signals';

describe('call signals over Redis pub/sub', () => {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  let a: Redis;
  let b: Redis;
  let listening: CallSignals;
  let notifying: CallSignals;
  const tenant = randomUUID();
  const sid = () => `CA${randomBytes(16).toString('hex')}`;

  beforeAll(() => {
    a = new Redis(url);
    b = new Redis(url);
    listening = new CallSignals(a);
    notifying = new CallSignals(b);
  });
  afterAll(async () => {
    await listening.close();
    await a.quit();
    await b.quit();
  });

  it("wakes a listener on another connection (another replica) when the call's variables change", async () => {
    const callSid = sid();
    const listener = await listening.listen(tenant, callSid);
    const started = Date.now();
    setTimeout(() => void notifying.notify(tenant, callSid), 100);
    expect(await listener.wait(5000)).toBe(true);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('times out when nothing changes, and ignores signals for other calls', async () => {
    const callSid = sid();
    const listener = await listening.listen(tenant, callSid);
    await notifying.notify(tenant, sid());
    expect(await listener.wait(300)).toBe(false);
  });

  it('keeps a signal sent between subscribing and waiting', async () => {
    const callSid = sid();
    const listener = await listening.listen(tenant, callSid);
    await notifying.notify(tenant, callSid);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await listener.wait(2000)).toBe(true);
  });
});
