// Run: node -r @swc-node/register bench/flow-step/run.ts
// Plays each seed flow's scripted call over and over on one core with in-memory ports (no network, so
// HTTP nodes cost what the runtime costs, not what a CRM costs) and prints node steps/s and TwiML renders/s.
import {
  initialState, renderTwiml, seedFlows, step, validateFlow,
  type Flow, type FlowPorts, type Instruction, type StepOptions, type SystemValues,
} from '@ringflow/flow';

const system: SystemValues = { caller: '+15551230001', called: '+15559870000', callSid: 'CAbench', direction: 'inbound', tenant: 'bench' };
const options: StepOptions = {
  now: () => new Date('2026-03-02T10:00:00Z'), random: () => 0.5, timeZone: 'Europe/Paris',
  fallback: { apology: 'Sorry.', then: { kind: 'hangup' } },
};
const render = { resumeUrl: (r: { nodeId: string }) => `https://gw.example.com/twilio/voice/step?node=${r.nodeId}`, waitUrl: () => 'https://gw.example.com/hold' };

function ports(httpBody: unknown, httpStatus = 200): FlowPorts {
  const ok = async () => ({ kind: 'ok' as const });
  const body = JSON.stringify(httpBody);
  return {
    http: { request: async () => ({ kind: 'response', status: httpStatus, headers: {}, body }) },
    sms: { send: ok }, email: { send: ok }, queue: { enqueue: ok }, consent: { optOut: ok },
    coupon: { issue: async () => ({ kind: 'ok', reference: 'c1' }) },
  };
}

interface Scenario {
  name: string;
  document: unknown;
  ports: FlowPorts;
  script: Record<string, string>[];
}

const scenarios: Scenario[] = [
  { name: 'card activation', document: seedFlows.cardActivation, ports: ports({ activated: true }), script: [{}, { Digits: '1' }, { Digits: '4111111111111111' }] },
  { name: 'crm lookup (standard, email)', document: seedFlows.crmLookup, ports: ports({ customer: { name: 'Ada', tier: 'standard', email: 'a@example.com', lastOrder: { reference: 'A1' } } }), script: [{}] },
  { name: 'crm lookup (premium, dial)', document: seedFlows.crmLookup, ports: ports({ customer: { name: 'Ada', tier: 'premium' } }), script: [{}, { DialCallStatus: 'completed' }] },
  { name: 'vip routing (security code)', document: seedFlows.vipRouting, ports: ports({}, 503), script: [{}, { Digits: '101010' }, { DialCallStatus: 'completed' }] },
  { name: 'push campaign (coupon)', document: seedFlows.pushCampaign, ports: ports({}), script: [{}, { Digits: '1' }] },
  { name: 'pull queue (agent)', document: seedFlows.pullQueue, ports: ports({ customer: { tier: 'vip', name: 'Ada' } }),
    script: [{}, { RingflowQueueOutcome: 'answered', RingflowAgent: '+15550107777' }, { DialCallStatus: 'completed' }] },
];

async function playCall(flow: Flow, s: Scenario, instructions?: Instruction[][]): Promise<number> {
  let state = initialState(flow);
  let nodes = 0;
  for (const params of s.script) {
    const result = await step(flow, state, { system, params }, s.ports, options);
    if (result.fault) throw new Error(`${s.name}: fault ${result.fault.reason}`);
    nodes += result.nodesEntered;
    state = result.state;
    instructions?.push(result.instructions);
  }
  return nodes;
}

async function measure(s: Scenario): Promise<{ nodesPerSec: number; rendersPerSec: number; nodesPerCall: number }> {
  const validation = validateFlow(s.document);
  if (!validation.ok) throw new Error(`${s.name}: invalid seed flow`);
  const flow = validation.flow;
  const steps: Instruction[][] = [];
  const nodesPerCall = await playCall(flow, s, steps);
  for (let i = 0; i < 2000; i++) await playCall(flow, s);

  let nodes = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < 1.5) {
    for (let i = 0; i < 500; i++) nodes += await playCall(flow, s);
    elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  }
  const nodesPerSec = nodes / elapsed;

  let renders = 0;
  const renderStart = process.hrtime.bigint();
  let renderElapsed = 0;
  while (renderElapsed < 1) {
    for (let i = 0; i < 200; i++) for (const instructions of steps) { renderTwiml(instructions, render); renders++; }
    renderElapsed = Number(process.hrtime.bigint() - renderStart) / 1e9;
  }
  return { nodesPerSec, rendersPerSec: renders / renderElapsed, nodesPerCall };
}

async function main(): Promise<void> {
  console.log(`node ${process.version}, one core, in-memory ports`);
  console.log('scenario'.padEnd(32), 'nodes/call'.padStart(10), 'node steps/s'.padStart(14), 'TwiML renders/s'.padStart(16));
  for (const s of scenarios) {
    const r = await measure(s);
    console.log(s.name.padEnd(32), String(r.nodesPerCall).padStart(10), Math.round(r.nodesPerSec).toLocaleString('en-US').padStart(14),
      Math.round(r.rendersPerSec).toLocaleString('en-US').padStart(16));
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
