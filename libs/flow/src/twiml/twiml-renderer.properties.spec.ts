import fc from 'fast-check';
import twilio from 'twilio';
import type { Instruction, Prompt, Resume } from '../runtime/instructions';
import { renderTwiml, type RenderContext } from './twiml-renderer';

// The reference: the same instructions through the twilio SDK's own builder (what renderTwiml used before it wrote
// the XML itself). Any difference in bytes, or in which documents are refused, fails.
type VoiceResponse = InstanceType<typeof twilio.twiml.VoiceResponse>;
type SayParent = Pick<VoiceResponse, 'say' | 'play' | 'pause'>;

function addPrompt(parent: SayParent, p: Prompt): void {
  switch (p.kind) {
    case 'say':
      parent.say(
        { ...(p.voice ? { voice: p.voice as never } : {}), ...(p.language ? { language: p.language as never } : {}), ...(p.loop ? { loop: p.loop } : {}) },
        p.text,
      );
      return;
    case 'play':
      parent.play(p.loop ? { loop: p.loop } : {}, p.url);
      return;
    case 'pause':
      parent.pause({ length: p.seconds });
  }
}

function builderTwiml(instructions: readonly Instruction[], ctx: RenderContext): string {
  const response = new twilio.twiml.VoiceResponse();
  for (const i of instructions) {
    switch (i.kind) {
      case 'say':
      case 'play':
      case 'pause':
        addPrompt(response, i);
        break;
      case 'gather': {
        const gather = response.gather({
          input: ['dtmf'], action: ctx.resumeUrl(i.resume), method: 'POST', actionOnEmptyResult: true,
          numDigits: i.numDigits, finishOnKey: i.finishOnKey, timeout: i.timeoutSeconds,
        });
        for (const p of i.prompts) addPrompt(gather, p);
        break;
      }
      case 'redirect':
        response.redirect({ method: 'POST' }, ctx.resumeUrl(i.resume));
        break;
      case 'enqueue':
        response.enqueue({ action: ctx.resumeUrl(i.resume), method: 'POST', waitUrl: ctx.waitUrl(i), waitUrlMethod: 'POST' }, i.queue);
        break;
      case 'dial':
        response.dial(
          {
            ...(i.resume ? { action: ctx.resumeUrl(i.resume), method: 'POST' } : {}),
            ...(i.callerId ? { callerId: i.callerId } : {}), timeout: i.timeoutSeconds,
            ...(i.record ? { record: 'record-from-answer' as const } : {}),
          },
          i.number,
        );
        break;
      case 'record':
        response.record({
          action: ctx.resumeUrl(i.resume), method: 'POST', maxLength: i.maxLengthSeconds, playBeep: i.playBeep,
          transcribe: i.transcribe, finishOnKey: '#', timeout: 5,
        });
        break;
      case 'hangup':
        response.hangup();
        break;
      case 'marker':
        break;
    }
  }
  return response.toString();
}

/** Text with what XML escaping is about: markup characters, quotes, whitespace controls, illegal controls, astral and lone surrogates. */
const tricky = fc.constantFrom('&', '<', '>', '"', "'", '\r', '\n', '\t', '&amp;', ']]>', '\u0000', '\u0001', '\u000b', '\ufffe', '\ud83d\ude00', '\ud800', '\udc00', 'é', ' ');
const text = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 3, arbitrary: fc.array(fc.oneof(tricky, fc.string({ maxLength: 3 })), { maxLength: 8 }).map((parts) => parts.join('')) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const count = fc.oneof(fc.integer({ min: -2, max: 100 }), fc.constantFrom(Number.NaN, 0.5));
const resume: fc.Arbitrary<Resume> = fc.record({ nodeId: text });
const prompt: fc.Arbitrary<Prompt> = fc.oneof(
  fc.record({ kind: fc.constant('say' as const), text, voice: maybe(text), language: maybe(text), loop: maybe(count) }, { requiredKeys: ['kind', 'text'] }),
  fc.record({ kind: fc.constant('play' as const), url: text, loop: maybe(count) }, { requiredKeys: ['kind', 'url'] }),
  fc.record({ kind: fc.constant('pause' as const), seconds: count }),
);
const instruction: fc.Arbitrary<Instruction> = fc.oneof(
  prompt,
  fc.record({ kind: fc.constant('gather' as const), prompts: fc.array(prompt, { maxLength: 3 }), numDigits: count, finishOnKey: text, timeoutSeconds: count, resume }),
  fc.record({ kind: fc.constant('redirect' as const), resume }),
  fc.record({ kind: fc.constant('enqueue' as const), queue: text, holdMusicUrl: maybe(text), holdMessage: maybe(text), timeoutSeconds: count, resume }),
  fc.record(
    { kind: fc.constant('dial' as const), number: text, callerId: maybe(text), timeoutSeconds: count, record: fc.boolean(), resume: maybe(resume) },
    { requiredKeys: ['kind', 'number', 'timeoutSeconds', 'record'] },
  ),
  fc.record({ kind: fc.constant('record' as const), maxLengthSeconds: count, transcribe: fc.boolean(), playBeep: fc.boolean(), resume }),
  fc.constant({ kind: 'hangup' as const }),
  fc.record({ kind: fc.constant('marker' as const), event: fc.constant('queued' as const), nodeId: text }),
);

/** URLs built from node ids, as the gateway's are: node ids reach attributes unescaped by the caller. */
const ctx: RenderContext = {
  resumeUrl: (r) => `https://gw.example.com/twilio/voice/step/t/CA1?node=${r.nodeId}&s=3`,
  waitUrl: (e) => `https://gw.example.com/twilio/voice/hold/t/CA1?q=${e.queue}&s=3`,
};

type Outcome = { twiml: string } | { refused: true };
const outcome = (render: () => string): Outcome => {
  try {
    return { twiml: render() };
  } catch {
    return { refused: true };
  }
};

describe('renderTwiml against the twilio SDK builder', () => {
  it('writes the same bytes as the builder for any instructions, and refuses the same documents', () => {
    let refused = 0;
    fc.assert(
      fc.property(fc.array(instruction, { maxLength: 6 }), (instructions) => {
        const expected = outcome(() => builderTwiml(instructions, ctx));
        if ('refused' in expected) refused++;
        expect(outcome(() => renderTwiml(instructions, ctx))).toEqual(expected);
      }),
      { seed: 20261122, numRuns: 3000 },
    );
    // The generator reaches the builder's refusals (illegal characters in text), not only documents it accepts.
    expect(refused).toBeGreaterThan(50);
  });

  it('matches the builder on a document with every verb and the characters escaping is about', () => {
    const say = 'Tom & "Jerry" <3> \r\n\t it\'s ]]> é 😀';
    const instructions: Instruction[] = [
      { kind: 'say', text: say, voice: 'Polly.Joanna', language: 'en-US', loop: 2 },
      { kind: 'gather', numDigits: 4, finishOnKey: '#', timeoutSeconds: 5, resume: { nodeId: 'pin"&<' }, prompts: [{ kind: 'play', url: 'https://a/b?x=1&y=2' }, { kind: 'pause', seconds: 1 }] },
      { kind: 'gather', numDigits: 1, finishOnKey: '', timeoutSeconds: 3, resume: { nodeId: 'quiet' }, prompts: [] },
      { kind: 'enqueue', queue: 'sales & support', timeoutSeconds: 60, resume: { nodeId: 'q' } },
      { kind: 'dial', number: '+15550100', timeoutSeconds: 20, record: false },
      { kind: 'record', maxLengthSeconds: 90, transcribe: false, playBeep: true, resume: { nodeId: 'v' } },
      { kind: 'say', text: '' },
      { kind: 'redirect', resume: { nodeId: 'w\t\n' } },
      { kind: 'hangup' },
    ];
    expect(renderTwiml(instructions, ctx)).toBe(builderTwiml(instructions, ctx));
    expect(renderTwiml([], ctx)).toBe(builderTwiml([], ctx));
    expect(() => renderTwiml([{ kind: 'say', text: 'bell \u0007' }], ctx)).toThrow(/Invalid character in TwiML text at index 5/);
  });
});
