import { flowJsonSchema } from '../schema/flow-document.schema';
import { validateFlow } from './flow-validator';

const say = (next: string) => ({ type: 'say', text: 'hello', next });
const doc = (nodes: Record<string, unknown>, start = 'a') => ({ schemaVersion: 1, name: 'test', start, nodes });

describe('validateFlow', () => {
  it('returns ten precise errors for a flow with ten distinct mistakes', () => {
    const result = validateFlow(doc({
      a: { type: 'menu', prompts: [{ kind: 'say', text: 'Press 1 or 2' }],
        options: [{ key: '1', next: 'b' }, { key: '1', next: 'c' }, { key: '2', next: 'ghost' }],
        next: { 'no-input': 'end', invalid: 'end' } },
      b: { type: 'say', text: 'Hi {{ vars.name | shout }}', next: 'loop1' },
      loop1: { type: 'set', vars: { x: '1' }, next: 'loop2' },
      loop2: { type: 'goto', target: 'loop1' },
      c: { type: 'input', prompts: [{ kind: 'say', text: 'Code?' }], maxDigits: 4, pattern: '^\\d{4}$', next: { valid: 'd', 'no-input': 'end' } },
      d: { type: 'condition', cases: [{ rules: [{ value: '{{ vars.x }}', op: 'regex', operand: '[0-9' }], next: 'e' }], next: { else: 'end' } },
      e: { type: 'http', method: 'GET', url: 'https://crm.example.com', timeoutMs: 20000,
        extract: { tier: '$..[?(@.vip)]' }, next: { success: 'end', failure: 'end', timeout: 'end' } },
      f: { type: 'transfer', to: '+15550000000' },
      end: { type: 'hangup' },
    }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual(expect.arrayContaining([
      { nodeId: 'f', field: 'type', message: expect.stringMatching(/^unknown node type "transfer"; known types: say, play/) },
      { nodeId: 'c', field: 'next.invalid', message: "outcome 'invalid' is not wired to a node" },
      { nodeId: 'e', field: 'timeoutMs', message: expect.stringContaining('<=10000') },
      { nodeId: 'a', field: 'options.2.next', message: "outcome 'key:2' goes to node 'ghost', which does not exist" },
      { nodeId: 'f', field: '(node)', message: "node is unreachable from start node 'a'" },
      { nodeId: 'loop2', field: 'target', message: 'loop loop1 -> loop2 -> loop1 never waits for the caller; add a menu, input or other waiting node' },
      { nodeId: 'b', field: 'text', message: expect.stringMatching(/^template does not parse: undefined filter: shout/) },
      { nodeId: 'd', field: 'cases.0.rules.0.operand', message: expect.stringMatching(/^regex does not compile: /) },
      { nodeId: 'a', field: 'options.1.key', message: "key '1' is already used by options.0" },
      { nodeId: 'e', field: 'extract.tier', message: 'JSONPath filter and script expressions are not allowed' },
    ]));
    expect(result.errors).toHaveLength(10);
  });

  it('reports a node that failed its schema together with its dangling outcomes', () => {
    const result = validateFlow(doc({ a: { type: 'say', next: 'nowhere' } }));
    expect(result).toEqual({ ok: false, errors: [
      { nodeId: 'a', field: 'text', message: expect.stringContaining('expected string') },
      { nodeId: 'a', field: 'next', message: "goes to node 'nowhere', which does not exist" },
    ] });
  });

  it('refuses regexes that can backtrack catastrophically', () => {
    const result = validateFlow(doc({
      a: { type: 'input', prompts: [{ kind: 'say', text: 'x' }], maxDigits: 8, pattern: '^(\\d+)+$', next: { valid: 'z', 'no-input': 'z', invalid: 'z' } },
      z: { type: 'hangup' },
    }));
    expect(result).toEqual({ ok: false, errors: [
      { nodeId: 'a', field: 'pattern', message: 'regex can backtrack catastrophically (nested or overlapping repetition); simplify it' },
    ] });
  });

  it('refuses templates that include files, unknown time zones and impossible digit bounds', () => {
    const result = validateFlow(doc({
      a: { type: 'say', text: "{% include 'secrets' %}", next: 'b' },
      b: { type: 'hours', timeZone: 'Mars/Olympus', weekly: {}, next: { open: 'c', closed: 'c' } },
      c: { type: 'input', prompts: [{ kind: 'say', text: 'x' }], minDigits: 8, maxDigits: 4, next: { valid: 'z', 'no-input': 'z', invalid: 'z' } },
      z: { type: 'hangup' },
    }));
    expect(result.ok ? [] : result.errors.map((e) => `${e.nodeId}.${e.field}`)).toEqual(['a.text', 'b.timeZone', 'c.minDigits']);
  });

  it('accepts Twilio voices and language tags, and names a wrong one', () => {
    const flow = (voice: string, language: string) => validateFlow(doc({ a: { type: 'say', text: 'Hi', voice, language, next: 'z' }, z: { type: 'hangup' } }));
    for (const voice of ['alice', 'Polly.Joanna', 'Polly.Joanna-Neural', 'Google.en-US-Neural2-F']) expect(flow(voice, 'en-US').ok).toBe(true);
    expect(flow('Polly.Léa', 'es-419')).toEqual({ ok: false, errors: [{ nodeId: 'a', field: 'voice', message: expect.stringMatching(/^must be a Twilio voice/) }] });
    expect(flow('alice', 'english')).toEqual({ ok: false, errors: [{ nodeId: 'a', field: 'language', message: 'must be a language tag such as en-US' }] });
  });

  it('reports document-level problems with a null node id', () => {
    const result = validateFlow({ schemaVersion: 2, start: 'missing', nodes: { a: { type: 'hangup' } } });
    expect(result.ok ? [] : result.errors).toEqual([
      { nodeId: null, field: 'schemaVersion', message: expect.any(String) },
      { nodeId: null, field: 'name', message: expect.any(String) },
      { nodeId: null, field: 'start', message: "start node 'missing' does not exist" },
    ]);
  });

  it('accepts loops that pass through a waiting node and applies defaults', () => {
    const result = validateFlow(doc({
      a: { type: 'menu', prompts: [{ kind: 'say', text: 'Press 1 to hear it again' }], options: [{ key: '1', next: 'b' }], next: { 'no-input': 'z', invalid: 'z' } },
      b: say('a'),
      z: { type: 'hangup' },
    }));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.flow.nodes.a).toMatchObject({ attempts: 3, timeoutSeconds: 5 });
    expect(result.flow.vars).toEqual({});
  });

  it('publishes a JSON Schema that names every node type', () => {
    const text = JSON.stringify(flowJsonSchema());
    for (const type of ['say', 'menu', 'input', 'http', 'condition', 'hours', 'queue', 'wait', 'opt-out']) {
      expect(text).toContain(`"const":"${type}"`);
    }
  });
});

describe('validateFlow on reserved variable names', () => {
  const setting = (vars: string) => JSON.parse(
    `{"schemaVersion":1,"name":"p","start":"a","nodes":{"a":{"type":"set","vars":${vars},"next":"z"},"z":{"type":"hangup"}}}`,
  ) as unknown;

  it('refuses variable names that reach the prototype', () => {
    expect(validateFlow(setting('{"constructor":"x","ok":"y"}'))).toEqual({ ok: false, errors: [
      { nodeId: 'a', field: 'vars.constructor', message: "'constructor' is not an allowed name: it is a reserved name" },
    ] });
  });

  it('drops __proto__ keys so they never reach the runtime', () => {
    const result = validateFlow(setting('{"__proto__":{"polluted":true},"ok":"y"}'));
    expect(result.ok && Object.keys(result.flow.nodes.a.type === 'set' ? result.flow.nodes.a.vars : {})).toEqual(['ok']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
