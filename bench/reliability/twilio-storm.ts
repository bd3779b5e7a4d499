// Run: node -r @swc-node/register bench/reliability/twilio-storm.ts
// Options (env): STORM_CONTACTS (150 per run), STORM_CPS (10), STORM_MS (storm length, 15000).
// Needs the local Postgres and Redis (as the tests do). Loopback only; bounded waits.
//
// A push campaign (worker-calls in-process, the telephony simulator as Twilio) dials while the simulator's fault
// injection (POST /sim/faults) makes Calls.create fail, in three runs:
//   500-storm      every Calls.create answers 500 for STORM_MS from the launch (nothing is placed)
//   429-storm      half of them answer 429 with Retry-After: 1 for STORM_MS
//   accepted-500   10 calls are placed but answered 500 (Twilio's edge failing after the work was done)
// Prints, per run: contacts answered / lost, contacts dialed more than once, the most calls placed in any sliding
// second against the CPS, errors given by the simulator, and how long the campaign took.
import { loadavg } from 'node:os';
import { campaignHarness, maxInAnyWindow } from '../../test/campaigns/campaign-harness';
import globalSetup from '../../test/global-setup';

const CONTACTS = Number(process.env.STORM_CONTACTS ?? 150);
const CPS = Number(process.env.STORM_CPS ?? 10);
const STORM_MS = Number(process.env.STORM_MS ?? 15_000);

const RUNS: Array<[name: string, fault: Record<string, unknown>]> = [
  ['500-storm', { status: 500, forMs: STORM_MS }],
  ['429-storm', { status: 429, ratio: 0.5, seed: 3, retryAfterSeconds: 1, forMs: STORM_MS }],
  ['accepted-500', { status: 500, effect: 'accepted', times: 10 }],
];

async function main(): Promise<void> {
  await globalSetup();
  const h = await campaignHarness();
  try {
    for (const [index, [name, fault]] of RUNS.entries()) {
      const t = await h.tenant(`Storm ${name}`, { callsPerSecond: CPS, maxConcurrentCalls: 500 }, 1000);
      const numbers = Array.from({ length: CONTACTS }, (_, i) => `+1${[646, 917, 718][index]}55${String(10000 + i).slice(-5)}`);
      await h.contacts.addToList(t.tenantId, t.listId, numbers.map((phone) => ({ phone })), 'marketer');
      const campaign = await h.campaigns.create(t.tenantId, h.campaignCommand(t, { callsPerSecond: CPS }), 'marketer');
      const added = await h.simClient.control<{ id: string }>('POST', '/sim/faults', { ...fault, accountSid: t.account.sid, path: '^/Calls\\.json$' });
      const started = Date.now();
      const cpu = process.cpuUsage();
      await h.launcher.launch(t.tenantId, campaign.id, 'marketer');
      await h.waitFor(`campaign ${name} to complete`, async () => (await h.campaigns.get(t.tenantId, campaign.id)).status === 'completed', 15 * 60_000);
      const used = process.cpuUsage(cpu);
      const hits = (await h.simClient.control<{ id: string; hits: number }[]>('GET', '/sim/faults')).body.find((f) => f.id === added.body.id)?.hits;
      await h.simClient.control('DELETE', `/sim/faults/${added.body.id}`);
      const rows = await h.dispositions(campaign.id);
      const placed = h.calls.filter((c) => c.accountSid === t.account.sid);
      const dialedTwice = numbers.filter((phone) => placed.filter((c) => c.to === phone).length > 1).length;
      const answered = numbers.filter((phone) => rows.get(phone)?.disposition === 'human').length;
      const dispositions: Record<string, number> = {};
      for (const row of rows.values()) dispositions[row.disposition ?? 'none'] = (dispositions[row.disposition ?? 'none'] ?? 0) + 1;
      console.log(JSON.stringify({
        run: name, contacts: CONTACTS, cps: CPS, stormMs: fault.forMs ?? null, errorsGiven: hits, answered, lost: CONTACTS - answered, dispositions,
        dialedTwice, callsPlaced: placed.length, maxPlacedInAnySecond: maxInAnyWindow(placed.map((c) => c.at)),
        tookS: Number(((Date.now() - started) / 1000).toFixed(1)), cpuMsPerContact: Number(((used.user + used.system) / 1000 / CONTACTS).toFixed(1)),
        loadAverage: loadavg()[0].toFixed(1),
      }));
    }
  } finally {
    await h.close();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
