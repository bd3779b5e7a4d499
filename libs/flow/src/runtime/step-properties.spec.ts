import fc from 'fast-check';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { CallDriver, mustValidate, testRender } from '../../test-support/call-driver';
import { httpBehaviour, portBehaviour, twilioParams, validFlow } from '../../test-support/random-flows';
import { jsonResponse, type PortAnswers } from '../../test-support/recording-ports';
import type { HttpPortResult } from '../ports';
import { renderTwiml } from '../twiml/twiml-renderer';

/** Verbs Twilio cannot carry out without text inside. */
const needsText = ['Say', 'Play', 'Dial', 'Enqueue', 'Redirect'];

/** Verbs and attributes from Twilio's TwiML voice reference that this renderer may emit, with allowed children. */
const allowed: Record<string, { attributes: string[]; children: string[] }> = {
  Response: { attributes: [], children: ['Say', 'Play', 'Pause', 'Gather', 'Dial', 'Record', 'Enqueue', 'Redirect', 'Hangup', 'Leave'] },
  Say: { attributes: ['voice', 'language', 'loop'], children: [] },
  Play: { attributes: ['loop', 'digits'], children: [] },
  Pause: { attributes: ['length'], children: [] },
  Gather: { attributes: ['action', 'method', 'input', 'numDigits', 'finishOnKey', 'timeout', 'actionOnEmptyResult', 'language', 'hints', 'speechTimeout'], children: ['Say', 'Play', 'Pause'] },
  Dial: { attributes: ['action', 'method', 'timeout', 'callerId', 'record', 'hangupOnStar', 'timeLimit', 'answerOnBridge', 'ringTone'], children: ['Number', 'Client', 'Queue'] },
  Record: { attributes: ['action', 'method', 'timeout', 'finishOnKey', 'maxLength', 'playBeep', 'trim', 'transcribe', 'transcribeCallback'], children: [] },
  Enqueue: { attributes: ['action', 'method', 'waitUrl', 'waitUrlMethod', 'maxQueueSize', 'workflowSid'], children: [] },
  Redirect: { attributes: ['method'], children: [] },
  Hangup: { attributes: [], children: [] },
  Leave: { attributes: [], children: [] },
};

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', preserveOrder: true, allowBooleanAttributes: false });

type Ordered = Record<string, unknown> & { ':@'?: Record<string, string> };

function checkElements(elements: Ordered[], parent: string, problems: string[]): void {
  for (const element of elements) {
    const name = Object.keys(element).find((k) => k !== ':@') as string;
    if (name === '#text' || name === '?xml') continue;
    const rule = allowed[name];
    if (!rule) problems.push(`unknown verb <${name}>`);
    else {
      if (!allowed[parent]?.children.includes(name)) problems.push(`<${name}> may not sit in <${parent}>`);
      for (const attr of Object.keys(element[':@'] ?? {})) if (!rule.attributes.includes(attr)) problems.push(`<${name}> has unknown attribute ${attr}`);
      const text = ((element[name] as Ordered[]) ?? []).map((c) => String(c['#text'] ?? '')).join('');
      if (needsText.includes(name) && text.trim() === '') problems.push(`<${name}> is empty`);
    }
    checkElements((element[name] as Ordered[]) ?? [], name, problems);
  }
}

/** Problems with a TwiML document: not XML, unknown verbs, misplaced verbs, unknown attributes. */
export function twimlProblems(twiml: string): string[] {
  const valid = XMLValidator.validate(twiml);
  if (valid !== true) return [`not XML: ${valid.err.msg}`];
  const problems: string[] = [];
  const root = (parser.parse(twiml) as Ordered[]).filter((e) => !('?xml' in e));
  if (root.length !== 1 || !('Response' in root[0])) return ['root is not a single <Response>'];
  checkElements((root[0].Response as Ordered[]) ?? [], 'Response', problems);
  return problems;
}

function httpAnswer(kind: string): () => HttpPortResult {
  switch (kind) {
    case 'json': return () => jsonResponse(200, { tier: 'vip', customer: { name: 'Ada <&>' } });
    case 'status500': return () => jsonResponse(500, {});
    case 'timeout': return () => ({ kind: 'timeout' });
    case 'failure': return () => ({ kind: 'failure', reason: 'refused' });
    case 'html': return () => ({ kind: 'response', status: 200, headers: {}, body: '<html>' });
    default: return () => { throw new Error('socket hang up'); };
  }
}

function portAnswer(kind: string): () => { kind: 'ok'; reference: string } | { kind: 'failed'; reason: string } {
  if (kind === 'ok') return () => ({ kind: 'ok', reference: 'r1' });
  if (kind === 'fail') return () => ({ kind: 'failed', reason: 'down' });
  return () => { throw new Error('port exploded'); };
}

describe('step on random valid flows and random caller input', () => {
  it('never throws, never passes the node cap, only faults at the cap, and always renders TwiML Twilio accepts', async () => {
    await fc.assert(
      fc.asyncProperty(
        validFlow, fc.array(fc.tuple(twilioParams, fc.boolean()), { minLength: 1, maxLength: 8 }), httpBehaviour, portBehaviour,
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.integer({ min: 0, max: 7 * 24 * 3600 }),
        async (document, inputs, http, port, random, offset) => {
          const flow = mustValidate(document);
          const answers: PortAnswers = { http: httpAnswer(http), sms: portAnswer(port), email: portAnswer(port), coupon: portAnswer(port), queue: portAnswer(port), optOut: portAnswer(port) };
          const call = new CallDriver(flow, answers);
          call.random = random;
          call.now = new Date(Date.parse('2026-03-02T00:00:00Z') + offset * 1000);
          for (const [params, approve] of [[{}, false] as const, ...inputs]) {
            const result = await call.post(params as Record<string, string>, approve ? { approved: 'yes' } : undefined);
            expect(result.nodesEntered).toBeLessThanOrEqual(100);
            if (result.fault) expect(result.fault.reason).toBe('more than 100 nodes in one step');
            expect(twimlProblems(renderTwiml(result.instructions, testRender))).toEqual([]);
            call.now = new Date(call.now.getTime() + 7000);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the TwiML check catches unknown verbs, attributes and broken XML', () => {
    expect(twimlProblems('<Response><Sms>x</Sms></Response>')).toEqual(['unknown verb <Sms>']);
    expect(twimlProblems('<Response><Say colour="red">x</Say></Response>')).toEqual(['<Say> has unknown attribute colour']);
    expect(twimlProblems('<Response><Gather><Dial>1</Dial></Gather></Response>')).toEqual(['<Dial> may not sit in <Gather>']);
    expect(twimlProblems('<Response><Say>a & b</Say></Response>')[0]).toMatch(/^not XML/);
    expect(twimlProblems('<Response><Play loop="2"></Play><Dial timeout="5"/></Response>')).toEqual(['<Play> is empty', '<Dial> is empty']);
  });
});
