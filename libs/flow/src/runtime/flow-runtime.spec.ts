import { CallDriver, mustValidate } from '../../test-support/call-driver';
import { recordingPorts } from '../../test-support/recording-ports';
import type { Flow } from '../schema/flow-document.schema';
import { step } from './flow-runtime';
import { initialState, redactState } from './flow-state';

const chain = (length: number): Flow => {
  const nodes: Record<string, unknown> = { end: { type: 'hangup' } };
  for (let i = 0; i < length; i++) nodes[`n${i}`] = { type: 'set', vars: { i: String(i) }, next: i + 1 < length ? `n${i + 1}` : 'end' };
  return mustValidate({ schemaVersion: 1, name: 'chain', start: 'n0', nodes });
};

describe('step', () => {
  it('ends the call politely with the fallback when a step would pass the node cap', async () => {
    const call = new CallDriver(chain(150));
    await call.start();
    expect(call.last.nodesEntered).toBe(100);
    expect(call.last.fault).toEqual({ nodeId: 'n100', reason: 'more than 100 nodes in one step' });
    expect(call.last.instructions).toEqual([{ kind: 'say', text: 'Sorry, something went wrong.' }, { kind: 'hangup' }]);
    expect(call.state.ended).toBe(true);
  });

  it('honours a lower cap from the options', async () => {
    const call = new CallDriver(chain(10), {}, undefined, { maxNodesPerStep: 5 });
    await call.start();
    expect(call.last.nodesEntered).toBe(5);
    expect(call.last.fault?.reason).toBe('more than 5 nodes in one step');
  });

  it('answers a fault inside a node (a template past its memory limit) with an apology and a transfer', async () => {
    const flow = mustValidate({ schemaVersion: 1, name: 'fault', start: 'a', nodes: {
      a: { type: 'say', text: '{% for i in (1..100000000) %}spam{% endfor %}', next: 'z' }, z: { type: 'hangup' },
    } });
    const call = new CallDriver(flow, {}, undefined, {
      fallback: { apology: 'We are sorry.', voice: 'alice', then: { kind: 'transfer', number: '+15550109000' } },
    });
    await call.start();
    expect(call.last.fault).toEqual({ nodeId: 'a', reason: expect.stringContaining('memory alloc limit exceeded') });
    expect(call.last.instructions).toEqual([
      { kind: 'say', text: 'We are sorry.', voice: 'alice' },
      { kind: 'dial', number: '+15550109000', timeoutSeconds: 30, record: false },
      { kind: 'hangup' },
    ]);
  });

  it('answers with the fallback when the saved state points at a node the flow no longer has', async () => {
    const flow = chain(1);
    const { ports } = recordingPorts();
    const state = { ...initialState(flow), awaiting: { nodeId: 'gone', since: '2026-03-02T15:00:00.000Z' } };
    const result = await step(flow, state, { system: { caller: '+1', called: '+2', callSid: 'CA1', direction: 'inbound', tenant: 't' }, params: {} }, ports, {
      now: () => new Date(0), random: () => 0, timeZone: 'UTC', fallback: { apology: 'Sorry.', then: { kind: 'hangup' } },
    });
    expect(result.fault).toEqual({ nodeId: 'gone', reason: 'node does not exist in this flow version' });
    expect(result.instructions.map((i) => i.kind)).toEqual(['say', 'hangup']);
  });

  it('answers an unknown node type in an unvalidated flow with a typed fault', async () => {
    const flow = { ...chain(1), nodes: { n0: { type: 'teleport' } } } as unknown as Flow;
    const call = new CallDriver(flow);
    await call.start();
    expect(call.last.fault).toEqual({ nodeId: 'n0', reason: "unknown node type 'teleport'" });
  });

  it('gives the same output for the same state, input, clock and port answers, without touching the input state', async () => {
    const flow = mustValidate({ schemaVersion: 1, name: 'det', start: 's', nodes: {
      s: { type: 'split', branches: [{ weight: 1, next: 'a' }, { weight: 1, next: 'b' }] },
      a: { type: 'say', text: 'A at {{ system.now }}', next: 'z' }, b: { type: 'say', text: 'B at {{ system.now }}', next: 'z' }, z: { type: 'hangup' },
    } });
    const { ports } = recordingPorts();
    const state = initialState(flow);
    const frozen = JSON.stringify(state);
    const run = () => step(flow, state, { system: { caller: '+1', called: '+2', callSid: 'CA1', direction: 'inbound', tenant: 't' }, params: {} }, ports, {
      now: () => new Date('2026-01-01T00:00:00Z'), random: () => 0.7, timeZone: 'UTC', fallback: { apology: 'Sorry.', then: { kind: 'hangup' } },
    });
    const [first, second] = [await run(), await run()];
    expect(first).toEqual(second);
    expect(first.instructions[0]).toEqual({ kind: 'say', text: 'B at 2026-01-01T00:00:00.000Z' });
    expect(JSON.stringify(state)).toBe(frozen);
  });

  it('keeps the state JSON-serialisable and redactable across steps', async () => {
    const flow = mustValidate({ schemaVersion: 1, name: 'pin', start: 'pin', nodes: {
      pin: { type: 'input', prompts: [{ kind: 'say', text: 'PIN?' }], minDigits: 4, maxDigits: 4, sensitive: true, next: { valid: 'ok', 'no-input': 'z', invalid: 'z' } },
      ok: { type: 'say', text: 'Thanks', next: 'z' }, z: { type: 'hangup' },
    } });
    const call = new CallDriver(flow);
    await call.start();
    await call.press('9876');
    expect(JSON.parse(JSON.stringify(call.last.state))).toEqual(call.last.state);
    expect(call.state.path).toEqual(['pin', 'ok', 'z']);
    expect(redactState(call.state).sensitive).toEqual({});
    expect(JSON.stringify(redactState(call.state))).not.toContain('9876');
    expect(JSON.stringify(call.last.instructions)).not.toContain('9876');
  });
});

describe('step against hostile input', () => {
  const flow = mustValidate({ schemaVersion: 1, name: 'h', start: 'a', nodes: {
    a: { type: 'say', text: 'Hi {{ vars.name }}', next: 'z' }, z: { type: 'hangup' },
  } });

  it('ignores reserved names in variables set from outside', async () => {
    const call = new CallDriver(flow);
    await call.post({}, JSON.parse('{"__proto__": {"polluted": true}, "constructor": "x", "name": "Ada"}') as Record<string, unknown>);
    expect(call.spoken()).toEqual(['Hi Ada']);
    expect(Object.getPrototypeOf(call.last.state.vars)).toBe(Object.prototype);
    expect(Object.keys(call.last.state.vars)).toEqual(['name']);
  });

  it('faults instead of hanging the webhook on a template that loops for too long', async () => {
    const slow = mustValidate({ schemaVersion: 1, name: 's', start: 'a', nodes: {
      a: { type: 'say', text: '{% for i in (1..3000) %}{% for j in (1..3000) %}{% endfor %}{% endfor %}', next: 'z' }, z: { type: 'hangup' },
    } });
    const call = new CallDriver(slow);
    const started = Date.now();
    await call.start();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(call.last.fault?.reason).toMatch(/template render limit exceeded/);
    expect(call.last.instructions).toEqual([{ kind: 'say', text: 'Sorry, something went wrong.' }, { kind: 'hangup' }]);
  });
});
