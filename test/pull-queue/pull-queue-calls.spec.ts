import type { TenantId } from '@ringflow/tenancy';
import { startHttpStub } from '../gateway/support/http-stub';
import { startPullQueueHarness, type PullQueueHarness } from './support/pull-queue-harness';
import { pullQueueFlow } from './support/pull-queue-flow';

const LINE = '+14155550140';
const ANN = '+14155550201';
const BOB = '+14155550202';
const JANE = '+15551230001';
const VIP = '+15551230002';
const STRANGER = '+14155550299';

const codeIn = (text: string) => Number(/YES (\d+)/.exec(text)?.[1]);

describe('the pull queue: callers wait with music, agents take them by SMS', () => {
  let h: PullQueueHarness;
  let crm: Awaited<ReturnType<typeof startHttpStub>>;
  let tenantId: TenantId;

  beforeAll(async () => {
    crm = await startHttpStub((req) => ({ status: 200, json: { customer: { tier: req.url.includes(encodeURIComponent(VIP)) ? 'vip' : 'standard' } } }));
    h = await startPullQueueHarness();
    ({ tenantId } = await h.tenant('Support Co', LINE, pullQueueFlow(crm.url)));
    const ann = await h.services.agents.create(tenantId, { name: 'Ann', phone: ANN }, 'admin');
    const bob = await h.services.agents.create(tenantId, { name: 'Bob', phone: BOB }, 'admin');
    await h.services.queues.create(tenantId, { name: 'support', agentIds: [ann.id, bob.id] }, 'admin');
    for (const agent of [ANN, BOB]) await h.phone(agent, { answer: 'human', talkSeconds: 3 });
    await h.phone(JANE, { callerName: 'Jane Doe' });
    await h.phone(VIP, { callerName: 'Victor Ip' });
  });
  afterAll(async () => {
    await h.close();
    await crm.close();
  });

  /** The texts an agent got from the line that were not answers to their own replies. */
  const notices = async (agent: string, count: number) => h.waitFor(`${count} notice(s) to ${agent}`, async () => {
    const inbox = (await h.inbox(agent)).map((m) => m.body).filter((body) => / is waiting in | left a voicemail in /.test(body));
    return inbox.length >= count ? inbox : undefined;
  });

  it('notifies both agents with the caller\'s name; the first YES is bridged, a later YES hears it was taken', async () => {
    const call = await h.dial(JANE, LINE, { holdPatienceMs: 20_000 });
    const [annNotice] = await notices(ANN, 1);
    const [bobNotice] = await notices(BOB, 1);
    expect(annNotice).toMatch(/^Jane Doe \(\+15551230001\) is waiting in support\. Reply YES \d+ to take the call, NO \d+ to pass\.$/);
    expect(bobNotice).toBe(annNotice);
    const code = codeIn(annNotice);

    expect(await h.text(ANN, LINE, `YES ${code}`)).toEqual(['You have Jane Doe (+15551230001). We are calling your phone now.']);
    expect(await h.text(BOB, LINE, `yes ${code}`)).toEqual(['Too late: Jane Doe (+15551230001) was taken by another agent.']);
    const ended = await h.callEnded(call);

    expect(ended.heard).toContain('Thanks for holding.');
    const [annLeg] = await h.calls({ to: ANN });
    expect(annLeg).toMatchObject({ from: LINE, status: 'completed', parentCallSid: call });
    expect(await h.calls({ to: BOB })).toEqual([]);
    expect(h.logs.join('\n')).not.toContain(JANE.slice(1));
  });

  it('sends the caller to voicemail when every notified agent says NO, keeps the recording and texts its link', async () => {
    const call = await h.dial(JANE, LINE, { holdPatienceMs: 20_000, recordSeconds: 5 });
    const code = codeIn((await notices(ANN, 2))[1]);
    expect(await h.text(ANN, LINE, `NO ${code}`)).toEqual(['You passed on Jane Doe (+15551230001).']);
    expect(await h.text(BOB, LINE, `NO ${code}`)).toEqual(['You passed on Jane Doe (+15551230001). Nobody took the call: it goes to voicemail.']);

    const ended = await h.callEnded(call);
    expect(ended.heard).toEqual(expect.arrayContaining(['Please leave a message after the tone.', 'Thank you, we will call you back.']));
    await h.idle();
    const [voicemail] = await h.services.voicemails.list(tenantId);
    expect(voicemail).toMatchObject({ callSid: call, queueName: 'support', caller: JANE, durationSeconds: 5 });
    for (const agent of [ANN, BOB]) {
      const inbox = await notices(agent, 3);
      expect(inbox[2]).toBe(`Jane Doe (+15551230001) left a voicemail in support: ${voicemail.recordingUrl}`);
    }
    expect(await h.text(ANN, LINE, `YES ${code}`)).toEqual(['Jane Doe (+15551230001) was sent to voicemail.']);
  });

  it('offers a VIP who arrived after a regular caller first, and tells each their place in line', async () => {
    const [support] = await h.services.queues.list(tenantId);
    await h.services.queues.update(tenantId, support.id, { announcePosition: true }, 'admin');
    for (const agent of [ANN, BOB]) expect(await h.text(agent, LINE, 'AWAY')).toEqual(['You are away: no caller notices until you reply BACK.']);
    const before = { ann: (await h.inbox(ANN)).length, bob: (await h.inbox(BOB)).length };
    const regular = await h.dial(JANE, LINE, { holdPatienceMs: 20_000 });
    await h.waitFor('the regular caller to wait', async () => (await h.services.waiting.get(tenantId, regular))?.state === 'waiting');
    const vip = await h.dial(VIP, LINE, { holdPatienceMs: 20_000 });
    await h.waitFor('the VIP to wait', async () => (await h.services.waiting.get(tenantId, vip))?.state === 'waiting');
    await h.idle();
    expect({ ann: (await h.inbox(ANN)).length, bob: (await h.inbox(BOB)).length }).toEqual(before);

    const heardSoFar = async (sid: string) => (await h.simClient.control<{ heard: string[] }>('GET', `/sim/calls/${sid}`)).body.heard;
    await h.waitFor('the regular caller to hear their place', async () => (await heardSoFar(regular)).includes('You are number 2 in line. Thanks for holding.'));
    await h.waitFor('the VIP to hear their place', async () => (await heardSoFar(vip)).includes('You are number 1 in line. Thanks for holding.'));

    const [back] = await h.text(ANN, LINE, 'BACK');
    expect(back).toMatch(/^Welcome back\. Waiting now, first to answer first: Victor Ip \(\+15551230002\): YES \d+; Jane Doe \(\+15551230001\): YES \d+\.$/);
    expect(await h.text(ANN, LINE, 'YES')).toEqual(['You have Victor Ip (+15551230002). We are calling your phone now.']);
    expect(await h.text(BOB, LINE, 'BACK')).toEqual([expect.stringMatching(/^Welcome back\. Waiting now, first to answer first: Jane Doe \(\+15551230001\): YES \d+\.$/)]);
    expect(await h.text(BOB, LINE, 'YES')).toEqual(['You have Jane Doe (+15551230001). We are calling your phone now.']);

    await Promise.all([h.callEnded(vip), h.callEnded(regular)]);
    const legs = async (to: string) => (await h.calls({ to })).map((c) => c.parentCallSid);
    expect(await legs(ANN)).toContain(vip);
    expect(await legs(BOB)).toContain(regular);
    await h.services.queues.update(tenantId, support.id, { announcePosition: false }, 'admin');
  });

  it('removes a caller who hangs up while waiting, and tells an agent who replies late', async () => {
    const seen = (await notices(ANN, 0)).length;
    const call = await h.dial(JANE, LINE, { holdPatienceMs: 1500 });
    const code = codeIn((await notices(ANN, seen + 1)).at(-1)!);
    expect((await h.callEnded(call)).status).toBe('completed');
    await h.waitFor('the wait to end', async () => (await h.services.waiting.get(tenantId, call))?.state === 'hung-up');
    expect(await h.services.waiting.waiting(tenantId, ['support'])).toEqual([]);
    expect(await h.text(ANN, LINE, `YES ${code}`)).toEqual(['Jane Doe (+15551230001) hung up before anyone answered.']);
    expect(await h.calls({ to: ANN })).toHaveLength(2);
  });

  it('changes nothing for replies from numbers that are not the tenant\'s agents', async () => {
    const other = await h.tenant('Other Co', '+14155550150', pullQueueFlow(crm.url));
    await h.services.agents.create(other.tenantId, { name: 'Olga', phone: STRANGER }, 'admin');
    const seen = (await notices(ANN, 0)).length;
    const call = await h.dial(JANE, LINE, { holdPatienceMs: 20_000 });
    const code = codeIn((await notices(ANN, seen + 1)).at(-1)!);

    expect(await h.text(STRANGER, LINE, `YES ${code}`)).toEqual([]);
    expect(await h.text('+15551238888', LINE, `NO ${code}`)).toEqual([]);
    expect(await h.services.waiting.get(tenantId, call)).toMatchObject({ state: 'waiting', agentId: null });
    expect(await h.services.waiting.declinedBy(tenantId, call)).toEqual([]);

    expect(await h.text(BOB, LINE, `YES ${code}`)).toEqual(['You have Jane Doe (+15551230001). We are calling your phone now.']);
    await h.callEnded(call);
  });
});
