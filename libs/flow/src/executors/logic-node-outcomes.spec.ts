import { driver, heardOutcome, outcomeFlow, wire } from '../../test-support/outcome-flows';
import { jsonResponse } from '../../test-support/recording-ports';
import type { HttpPortResult } from '../ports';

describe('http', () => {
  const flow = outcomeFlow({
    type: 'http', method: 'POST', url: 'https://crm.example.com/lookup?n={{ system.caller | url_encode }}',
    headers: { 'X-Api-Key': '{{ vars.key }}' }, body: { format: 'form', fields: { phone: '{{ system.caller }}', kind: 'voice' } },
    timeoutMs: 2000, extract: { tier: '$.customer.tier', first: '$.orders[0].id' }, next: wire('success', 'failure', 'timeout'),
  }, ['success', 'failure', 'timeout'], { key: 'k-1' });

  it('sends the rendered request and extracts values into vars and nodes', async () => {
    const call = driver(flow, { http: () => jsonResponse(200, { customer: { tier: 'gold' }, orders: [{ id: 'A1' }] }) });
    await call.start();
    expect(heardOutcome(call)).toBe('success');
    expect(call.calls.http).toEqual([{
      method: 'POST', url: 'https://crm.example.com/lookup?n=%2B15551230001',
      headers: { 'X-Api-Key': 'k-1', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'phone=%2B15551230001&kind=voice', timeoutMs: 2000, maxResponseBytes: 65536,
    }]);
    expect(call.state.vars).toMatchObject({ tier: 'gold', first: 'A1' });
    expect(call.state.nodes.subject).toEqual({ ok: true, status: 200, tier: 'gold', first: 'A1' });
  });

  it.each<[string, HttpPortResult | (() => never), string]>([
    ['a 500', jsonResponse(500, {}), 'failure'],
    ['a port failure', { kind: 'failure', reason: 'address 10.0.0.1 is private' }, 'failure'],
    ['a body that is not JSON', { kind: 'response', status: 200, headers: {}, body: '<html>' }, 'failure'],
    ['a body over 64 kB', { kind: 'response', status: 200, headers: {}, body: 'x'.repeat(70_000) }, 'failure'],
    ['a thrown error', () => { throw new Error('socket hang up'); }, 'failure'],
    ['a timeout', { kind: 'timeout' }, 'timeout'],
  ])('takes %s as %s', async (_name, answer, outcome) => {
    const call = driver(flow, { http: () => (typeof answer === 'function' ? answer() : answer) });
    await call.start();
    expect(heardOutcome(call)).toBe(outcome);
    expect(call.state.nodes.subject).toMatchObject({ ok: false, error: expect.any(String) });
  });

  it('renders JSON bodies leaf by leaf so values cannot break the JSON', async () => {
    const json = outcomeFlow({ type: 'http', method: 'POST', url: 'https://crm.example.com', body: { format: 'json', value: { q: '{{ vars.q }}', n: 3, list: ['{{ vars.q }}'] } },
      next: wire('success', 'failure', 'timeout') }, ['success', 'failure', 'timeout'], { q: 'a "quoted" value' });
    const call = driver(json, { http: () => jsonResponse(200, {}) });
    await call.start();
    expect(JSON.parse(call.calls.http[0].body ?? '')).toEqual({ q: 'a "quoted" value', n: 3, list: ['a "quoted" value'] });
    expect(call.calls.http[0].headers['Content-Type']).toBe('application/json');
  });
});

describe('condition', () => {
  const flow = outcomeFlow({
    type: 'condition',
    cases: [
      { rules: [{ value: '{{ vars.tier }}', op: 'equals', operand: 'gold' }], next: 'o_gold' },
      { match: 'any', rules: [{ value: '{{ vars.tier }}', op: 'blank' }, { value: '{{ vars.tier }}', op: 'regex', operand: '^sil' }], next: 'o_low' },
    ],
    next: wire('else'),
  }, ['gold', 'low', 'else']);
  it.each([['gold', 'gold'], ['', 'low'], ['silver', 'low'], ['bronze', 'else']])('routes tier %j to %s', async (tier, outcome) => {
    const call = driver(flow);
    await call.post({}, { tier });
    expect(heardOutcome(call)).toBe(outcome);
  });

  it('compares the time of day in the tenant zone', async () => {
    const late = outcomeFlow({ type: 'condition', cases: [{ rules: [{ value: '{{ system.now }}', op: 'after', operand: '17:30' }], next: 'o_late' }],
      next: wire('else') }, ['late', 'else']);
    const call = driver(late);
    call.now = new Date('2026-03-02T16:45:00Z');
    await call.start();
    expect(heardOutcome(call)).toBe('late');
  });
});

describe('hours', () => {
  const flow = outcomeFlow({ type: 'hours', timeZone: 'America/New_York', weekly: { mon: [{ open: '09:00', close: '17:00' }] }, next: wire('open', 'closed') },
    ['open', 'closed']);
  it.each([['2026-03-02T15:00:00Z', 'open'], ['2026-03-02T23:00:00Z', 'closed']])('at %s is %s', async (now, outcome) => {
    const call = driver(flow);
    call.now = new Date(now);
    await call.start();
    expect(heardOutcome(call)).toBe(outcome);
  });
});

describe('set and split', () => {
  it('sets variables from templates', async () => {
    const call = driver(outcomeFlow({ type: 'set', vars: { greeting: 'Hi {{ vars.name | upcase }}', caller: '{{ system.caller }}' }, next: 'o_next' },
      ['next'], { name: 'ada' }));
    await call.start();
    expect(call.state.vars).toEqual({ name: 'ada', greeting: 'Hi ADA', caller: '+15551230001' });
  });

  it.each([[0, 'a'], [0.24, 'a'], [0.25, 'b'], [0.99, 'b']])('with random %s takes branch %s', async (random, outcome) => {
    const call = driver(outcomeFlow({ type: 'split', branches: [{ weight: 1, next: 'o_a' }, { weight: 3, next: 'o_b' }] }, ['a', 'b']));
    call.random = random;
    await call.start();
    expect(heardOutcome(call)).toBe(outcome);
  });
});

describe('sms, email, coupon and opt-out', () => {
  const failed = () => ({ kind: 'failed' as const, reason: 'provider down' });
  const cases = [
    { node: { type: 'sms', body: 'Your code is {{ vars.code }}', next: wire('sent', 'failed') }, ok: 'sent', port: 'sms' as const, marker: 'sms-sent' },
    { node: { type: 'email', to: 'a@example.com', subject: 'Hi', body: 'Body', next: wire('sent', 'failed') }, ok: 'sent', port: 'email' as const, marker: 'email-sent' },
    { node: { type: 'coupon', promotionId: 'promo-1', next: wire('issued', 'failed') }, ok: 'issued', port: 'coupon' as const, marker: 'coupon-issued' },
    { node: { type: 'opt-out', next: wire('opted-out', 'failed') }, ok: 'opted-out', port: 'optOut' as const, marker: 'opted-out' },
  ];

  it.each(cases)('$node.type takes $ok and marks $marker', async ({ node, ok, port, marker }) => {
    const call = driver(outcomeFlow(node, [ok, 'failed'], { code: '42' }));
    await call.start();
    expect(heardOutcome(call)).toBe(ok);
    expect(call.calls[port]).toHaveLength(1);
    expect(call.calls[port][0]).toMatchObject({ tenant: 'tenant-a', idempotencyKey: 'CA0123456789abcdef0123456789abcdef-subject-1' });
    expect(call.last.instructions[0]).toEqual({ kind: 'marker', event: marker, nodeId: 'subject' });
  });

  it.each(cases)('$node.type takes failed when its port fails or throws', async ({ node, port }) => {
    const key = port === 'optOut' ? 'optOut' : port;
    const failing = driver(outcomeFlow(node, [cases.find((c) => c.port === port)!.ok, 'failed']), { [key]: failed });
    await failing.start();
    expect(heardOutcome(failing)).toBe('failed');
    const throwing = driver(outcomeFlow(node, [cases.find((c) => c.port === port)!.ok, 'failed']), { [key]: () => { throw new Error('boom'); } });
    await throwing.start();
    expect(heardOutcome(throwing)).toBe('failed');
    expect(throwing.state.nodes.subject).toEqual({ ok: false, error: 'boom' });
  });

  it('fails without calling the port when the recipient renders empty', async () => {
    const call = driver(outcomeFlow({ type: 'sms', to: '{{ vars.nobody }}', body: 'Hi', next: wire('sent', 'failed') }, ['sent', 'failed']));
    await call.start();
    expect(heardOutcome(call)).toBe('failed');
    expect(call.calls.sms).toHaveLength(0);
  });

  it('sends the SMS to the caller by default with the rendered body', async () => {
    const call = driver(outcomeFlow(cases[0].node, ['sent', 'failed'], { code: '42' }));
    await call.start();
    expect(call.calls.sms[0]).toMatchObject({ to: '+15551230001', body: 'Your code is 42' });
  });
});
