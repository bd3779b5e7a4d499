import fc from 'fast-check';

const templates = [
  'Hello', 'Tom & Jerry <say> "quoted" \'single\' ]]>', 'Bonjour {{ system.caller }} à {{ system.now }}',
  "{{ vars.name | default: 'friend' | upcase }}", '{{ nodes.n0.digits }}{{ nodes.n1.status }}', '{% if vars.tier == "vip" %}VIP{% else %}std{% endif %}',
  '😀 émoji ünïcode', '{{ vars.missing }}',
];
const urls = ['https://cdn.example.com/a.mp3', 'https://cdn.example.com/{{ vars.file | url_encode }}.mp3?a=1&b=2', '{{ vars.missing }}'];
const numbers = ['+15550100', '{{ system.caller }}', '{{ vars.agent }}', '{{ vars.missing }}'];
const prompt = fc.oneof(
  fc.record({ kind: fc.constant('say'), text: fc.constantFrom(...templates) }),
  fc.record({ kind: fc.constant('play'), url: fc.constantFrom(...urls), loop: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('pause'), seconds: fc.integer({ min: 1, max: 3 }) }),
);
const prompts = fc.array(prompt, { minLength: 1, maxLength: 3 });
const rule = fc.oneof(
  fc.record({ value: fc.constantFrom(...templates), op: fc.constantFrom('equals', 'contains', 'less-than', 'after', 'before'), operand: fc.constantFrom('vip', '10', '12:00', '2026-01-01') }),
  fc.record({ value: fc.constantFrom(...templates), op: fc.constantFrom('blank', 'not-blank') }),
  fc.record({ value: fc.constantFrom(...templates), op: fc.constant('regex'), operand: fc.constantFrom('^\\d{4}$', 'vip', '^[A-Z]') }),
  fc.record({ value: fc.constantFrom(...templates), op: fc.constant('any-of'), operands: fc.constant(['101010', '202020']) }),
);

type Pick = (forward: boolean) => string;

/** Node builders: each takes how to choose a target (forward-only for nodes that do not wait). */
const builders: Record<string, (pick: Pick) => fc.Arbitrary<Record<string, unknown>>> = {
  say: (p) => fc.record({ type: fc.constant('say'), text: fc.constantFrom(...templates), next: fc.constant(p(false)) }),
  play: (p) => fc.record({ type: fc.constant('play'), url: fc.constantFrom(...urls), next: fc.constant(p(false)) }),
  set: (p) => fc.record({ type: fc.constant('set'), vars: fc.constant({ name: 'Ada & <co>', tier: 'vip', file: 'x y' }), next: fc.constant(p(false)) }),
  menu: (p) => fc.record({
    type: fc.constant('menu'), prompts,
    options: fc.uniqueArray(fc.constantFrom(...'0123456789*#'), { minLength: 1, maxLength: 4 }).map((keys) => keys.map((key) => ({ key, next: p(true) }))),
    attempts: fc.integer({ min: 1, max: 3 }), next: fc.constant({ 'no-input': p(true), invalid: p(true) }),
  }),
  input: (p) => fc.record({
    type: fc.constant('input'), prompts, minDigits: fc.constant(1), maxDigits: fc.integer({ min: 1, max: 16 }), luhn: fc.boolean(), sensitive: fc.boolean(),
    pattern: fc.constantFrom('^\\d+$', '^[1-9]'), next: fc.constant({ valid: p(true), 'no-input': p(true), invalid: p(true) }),
  }),
  http: (p) => fc.record({
    type: fc.constant('http'), method: fc.constantFrom('GET', 'POST'), url: fc.constant('https://crm.example.com/?q={{ system.caller | url_encode }}'),
    extract: fc.constant({ tier: '$.tier', name: '$..name' }), next: fc.constant({ success: p(false), failure: p(false), timeout: p(false) }),
  }),
  condition: (p) => fc.record({
    type: fc.constant('condition'), cases: fc.array(fc.record({ match: fc.constantFrom('all', 'any'), rules: fc.array(rule, { minLength: 1, maxLength: 3 }), next: fc.constant(p(false)) }), { minLength: 1, maxLength: 3 }),
    next: fc.constant({ else: p(false) }),
  }),
  hours: (p) => fc.record({ type: fc.constant('hours'), timeZone: fc.constantFrom('UTC', 'Europe/Paris', 'Asia/Kolkata'),
    weekly: fc.constant({ mon: [{ open: '09:00', close: '17:00' }], sat: [{ open: '22:00', close: '02:00' }] }), next: fc.constant({ open: p(false), closed: p(false) }) }),
  split: (p) => fc.record({ type: fc.constant('split'), branches: fc.constant([{ weight: 1, next: p(false) }, { weight: 2, next: p(false) }]) }),
  sms: (p) => fc.record({ type: fc.constant('sms'), to: fc.constantFrom('{{ system.caller }}', '{{ vars.missing }}'), body: fc.constantFrom(...templates), next: fc.constant({ sent: p(false), failed: p(false) }) }),
  email: (p) => fc.record({ type: fc.constant('email'), to: fc.constant('a@example.com'), subject: fc.constant('Hi'), body: fc.constantFrom(...templates), next: fc.constant({ sent: p(false), failed: p(false) }) }),
  coupon: (p) => fc.record({ type: fc.constant('coupon'), promotionId: fc.constant('promo'), next: fc.constant({ issued: p(false), failed: p(false) }) }),
  'opt-out': (p) => fc.record({ type: fc.constant('opt-out'), next: fc.constant({ 'opted-out': p(false), failed: p(false) }) }),
  queue: (p) => fc.record({ type: fc.constant('queue'), queue: fc.constantFrom('support', '{{ vars.missing }}'), priority: fc.constantFrom('5', '{{ vars.tier }}'),
    holdMessage: fc.constantFrom(...templates), next: fc.constant({ answered: p(true), voicemail: p(true), timeout: p(true) }) }),
  dial: (p) => fc.record({ type: fc.constant('dial'), number: fc.constantFrom(...numbers), next: fc.constant({ completed: p(true), 'no-answer': p(true), busy: p(true), failed: p(true) }) }),
  voicemail: (p) => fc.record({ type: fc.constant('voicemail'), prompts, next: fc.constant({ recorded: p(true), 'no-input': p(true) }) }),
  wait: (p) => fc.record({ type: fc.constant('wait'), variable: fc.constant('approved'), timeoutSeconds: fc.constant(10), next: fc.constant({ set: p(true), timeout: p(true) }) }),
  goto: (p) => fc.record({ type: fc.constant('goto'), target: fc.constant(p(false)) }),
};
const nodeTypes = Object.keys(builders);

/**
 * A valid flow: node i's first outcome leads to node i+1 (so every node is reachable), other outcomes of
 * non-waiting nodes only lead forward (so no loop can skip waiting), waiting nodes may lead anywhere.
 */
export const validFlow = fc
  .tuple(fc.integer({ min: 1, max: 130 }), fc.infiniteStream(fc.nat()))
  .chain(([size, seeds]) => {
    const it = seeds[Symbol.iterator]();
    const draw = () => it.next().value as number;
    const ids = Array.from({ length: size }, (_, i) => `n${i}`);
    const nodes = ids.map((_, i) => {
      let first = true;
      const pick: Pick = (anywhere) => {
        if (first) {
          first = false;
          return i + 1 < size ? ids[i + 1] : 'end';
        }
        const from = anywhere ? 0 : i + 1;
        const choice = from + (draw() % (size - from + 1));
        return choice >= size ? 'end' : ids[choice];
      };
      return builders[nodeTypes[draw() % nodeTypes.length]](pick);
    });
    return fc.tuple(...nodes).map((built) => ({
      schemaVersion: 1, name: 'random', start: 'n0', vars: { agent: '+15550199' },
      nodes: { ...Object.fromEntries(built.map((n, i) => [ids[i], n])), end: { type: 'hangup', prompts: [{ kind: 'say', text: 'Bye' }] } },
    }));
  });

/** What Twilio might post back, including nonsense. */
export const twilioParams = fc.record({
  Digits: fc.oneof(fc.constant(''), fc.stringMatching(/^[0-9*#]{1,17}$/), fc.constant('4111111111111111')),
  DialCallStatus: fc.constantFrom('completed', 'busy', 'no-answer', 'failed', 'canceled', 'weird'),
  QueueResult: fc.constantFrom('bridged', 'leave', 'queue-full', 'hangup', 'error'),
  RecordingUrl: fc.constantFrom('', 'https://api.twilio.com/r/RE1'),
  RecordingDuration: fc.constantFrom('0', '5', 'NaN'),
  RingflowQueueOutcome: fc.constantFrom('', 'answered', 'voicemail', 'timeout'),
}, { requiredKeys: [] });

export const portBehaviour = fc.constantFrom('ok', 'fail', 'throw');
export const httpBehaviour = fc.constantFrom('json', 'status500', 'timeout', 'failure', 'throw', 'html');
