import fc from 'fast-check';
import { validateFlow } from '@ringflow/flow';
import { CallDriver } from '../../libs/flow/test-support/call-driver';
import { validFlow } from '../../libs/flow/test-support/random-flows';

/** Any JSON a client could post as a flow document, biased toward the right shape so validation goes deep. */
const anyJson = fc.jsonValue({ maxDepth: 4 });
const nodeTypes = ['say', 'play', 'menu', 'input', 'http', 'condition', 'set', 'hours', 'split', 'sms', 'email', 'coupon', 'opt-out', 'queue', 'dial', 'voicemail', 'wait', 'goto', 'hangup', 'nope'];
const shapedNode = fc.record(
  {
    type: fc.constantFrom(...nodeTypes),
    text: fc.oneof(fc.string(), anyJson),
    next: fc.oneof(fc.string({ maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.string({ maxLength: 4 }), anyJson))),
    prompts: fc.oneof(anyJson, fc.array(fc.record({ kind: fc.constantFrom('say', 'play', 'pause', 'x'), text: fc.string() }), { maxLength: 2 })),
    options: fc.oneof(anyJson, fc.array(fc.record({ key: fc.string({ maxLength: 2 }), next: fc.string({ maxLength: 4 }) }), { maxLength: 3 })),
    url: fc.oneof(fc.webUrl(), fc.string()),
    target: fc.string({ maxLength: 4 }),
  },
  { requiredKeys: [] },
);
const shapedDocument = fc.record(
  {
    schemaVersion: fc.oneof(fc.constant(1), anyJson),
    name: fc.oneof(fc.string(), anyJson),
    start: fc.oneof(fc.string({ maxLength: 4 }), anyJson),
    nodes: fc.oneof(fc.dictionary(fc.string({ maxLength: 4 }), fc.oneof(shapedNode, anyJson), { maxKeys: 6 }), anyJson),
  },
  { requiredKeys: [] },
);

/** A valid flow with one value somewhere in it replaced by arbitrary JSON. */
const mutatedFlow = fc.tuple(validFlow, fc.nat(), fc.nat(), anyJson).map(([doc, nodePick, keyPick, value]) => {
  const copy = JSON.parse(JSON.stringify(doc)) as { nodes: Record<string, Record<string, unknown>> };
  const ids = Object.keys(copy.nodes);
  const node = copy.nodes[ids[nodePick % ids.length]];
  const keys = Object.keys(node);
  node[keys[keyPick % keys.length]] = value;
  return copy;
});

/** Errors must say where: a node id that is in the document (or null for the document) and a non-empty field. */
function unplacedErrors(document: unknown, errors: { nodeId: string | null; field: string; message: string }[]): unknown[] {
  const nodes = (document as { nodes?: unknown } | null)?.nodes;
  const ids = nodes && typeof nodes === 'object' && !Array.isArray(nodes) ? Object.keys(nodes) : [];
  return errors.filter(
    (e) => (e.nodeId !== null && !ids.includes(e.nodeId)) || typeof e.field !== 'string' || e.field === '' || typeof e.message !== 'string' || e.message === '',
  );
}

describe('fuzzing flow documents into validateFlow', () => {
  // Found by the properties below: both threw a TypeError out of validateFlow (a 500 on the admin API's save).
  it('reports a null node and a null menu option as errors instead of throwing', () => {
    const nullNode = validateFlow({ schemaVersion: 1, name: 'x', start: 'a', nodes: { a: null } });
    expect(nullNode).toMatchObject({ ok: false, errors: [expect.objectContaining({ nodeId: 'a', field: 'type' })] });
    const nullOption = validateFlow({
      schemaVersion: 1, name: 'x', start: 'a',
      nodes: { a: { type: 'menu', prompts: [{ kind: 'say', text: 'Hi' }], options: [null, { key: '1', next: 'z' }], next: { 'no-input': 'z', invalid: 'z' } }, z: { type: 'hangup' } },
    });
    expect(nullOption).toMatchObject({ ok: false, errors: [expect.objectContaining({ nodeId: 'a', field: 'options.0' })] });
  });

  it.each([
    ['arbitrary JSON', anyJson],
    ['flow-shaped documents with wrong parts', shapedDocument],
    ['valid flows with one field replaced by arbitrary JSON', mutatedFlow],
  ] as const)('never throws on %s, and every error names a node of the document (or the document) and a field', (_, documents) => {
    fc.assert(
      fc.property(documents as fc.Arbitrary<unknown>, (document) => {
        const result = validateFlow(document);
        if (!result.ok) {
          expect(result.errors.length).toBeGreaterThan(0);
          expect(unplacedErrors(document, result.errors)).toEqual([]);
        }
      }),
      { numRuns: 400 },
    );
  });
});

/** Liquid built from pieces, including loops, filters and broken syntax, over every namespace. */
const liquidPiece = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    '{{ system.caller }}', '{{ vars.x | upcase }}', '{{ nodes.a.digits | default: "0" }}', '{{ vars.x | split: "" | join: "-" }}',
    '{{ "x" | append: vars.x | append: vars.x }}', '{{ vars.n | times: 1000000 }}', '{{ 1 | divided_by: 0 }}', '{{ vars.x | slice: -99999, 99999 }}',
    '{% assign s = "ab" %}', '{% for i in (1..500) %}{{ i }}{% endfor %}', '{% for i in (1..2000000000) %}{% endfor %}',
    '{% for a in (1..3000) %}{% for b in (1..3000) %}x{% endfor %}{% endfor %}', '{% capture c %}{{ vars.x }}{% endcapture %}{{ c }}',
    '{% if vars.x contains "a" %}y{% elsif vars.n > 2 %}z{% else %}w{% endif %}', '{% case vars.x %}{% when "a" %}A{% endcase %}',
    '{% include "x" %}', '{% render "x" %}', '{{', '}}', '{%', '%}', '{% for %}', '{{ vars.x | nosuchfilter }}', '{% raw %}{{ x }}{% endraw %}',
    '{{ vars["__proto__"] }}', '{{ vars.constructor.name }}', '{% tablerow i in (1..100) %}{{ i }}{% endtablerow %}',
  ),
);
const template = fc.array(liquidPiece, { minLength: 1, maxLength: 5 }).map((parts) => parts.join(''));

/** Templates a step may take, with the runtime's 100 ms render limit and some slack for a loaded CI machine. */
const stepBudgetMs = 1500;

describe('fuzzing template strings into the flow runtime', () => {
  it('a template that validation accepts never throws out of a step and never holds it past the limit', async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(template, fc.string({ maxLength: 50 }), fc.integer({ min: -5, max: 1e9 }), async (text, x, n) => {
        const document = {
          schemaVersion: 1, name: 'Fuzz', start: 'a',
          nodes: { a: { type: 'set', vars: { x: '{{ nodes.none.digits }}' }, next: 'b' }, b: { type: 'say', text, next: 'z' }, z: { type: 'hangup', prompts: [{ kind: 'say', text }] } },
        };
        const validation = validateFlow(document);
        if (!validation.ok) {
          expect(validation.errors.every((e) => e.nodeId === 'b' || e.nodeId === 'z')).toBe(true);
          return;
        }
        accepted++;
        const call = new CallDriver(validation.flow);
        const started = performance.now();
        const result = await call.post({ Digits: '1' }, { x, n });
        expect(performance.now() - started).toBeLessThan(stepBudgetMs);
        expect(result.instructions.length).toBeGreaterThan(0);
        if (result.fault) expect(['b', 'z']).toContain(result.fault.nodeId);
      }),
      { numRuns: 250 },
    );
    expect(accepted).toBeGreaterThan(50);
  });
});
