import type { TenantId } from '@ringflow/tenancy';
import { startHttpStub } from '../gateway/support/http-stub';
import { startPullQueueHarness, type PullQueueHarness } from './support/pull-queue-harness';
import { pullQueueFlow } from './support/pull-queue-flow';

const LINE = '+14155550160';
const AGENT = '+14155550211';
const OWNER = '+14155550219';
const CALLER = '+15551230005';

describe('a queue nobody answers in time', () => {
  let h: PullQueueHarness;
  let crm: Awaited<ReturnType<typeof startHttpStub>>;
  let tenantId: TenantId;

  beforeAll(async () => {
    crm = await startHttpStub(() => ({ status: 404, json: {} }));
    h = await startPullQueueHarness();
    ({ tenantId } = await h.tenant('Slow Co', LINE, pullQueueFlow(crm.url, 20)));
    const agent = await h.services.agents.create(tenantId, { name: 'Sam', phone: AGENT }, 'admin');
    await h.services.queues.create(tenantId, { name: 'support', agentIds: [agent.id], voicemailNotify: 'number', voicemailNumber: OWNER }, 'admin');
  });
  afterAll(async () => {
    await h.close();
    await crm.close();
  });

  it('sends the caller to voicemail at the maximum wait, texts the link to the tenant\'s number, and tells a late agent', async () => {
    const call = await h.dial(CALLER, LINE, { holdPatienceMs: 20_000, recordSeconds: 3 });
    const notice = await h.waitFor('the notice', async () => (await h.inbox(AGENT))[0]?.body);
    expect(notice).toMatch(/^\+15551230005 is waiting in support\. Reply YES \d+/);

    const ended = await h.callEnded(call);
    expect(ended.heard).toEqual(expect.arrayContaining(['Please leave a message after the tone.', 'Thank you, we will call you back.']));
    await h.idle();
    const [voicemail] = await h.services.voicemails.list(tenantId);
    expect(voicemail).toMatchObject({ callSid: call, durationSeconds: 3 });
    expect((await h.inbox(OWNER)).map((m) => m.body)).toEqual([`+15551230005 left a voicemail in support: ${voicemail.recordingUrl}`]);
    expect((await h.inbox(AGENT)).map((m) => m.body)).toEqual([notice]);

    const code = /YES (\d+)/.exec(notice)![1];
    expect(await h.text(AGENT, LINE, `YES ${code}`)).toEqual(['+15551230005 waited too long and was sent to voicemail.']);
    expect(await h.calls({ to: AGENT })).toEqual([]);
  });
});
