import type { Instruction, Prompt, Resume } from '../runtime/instructions';
import { element, TWIML_DECLARATION, type Attributes } from './twiml-xml';

type EnqueueInstruction = Extract<Instruction, { kind: 'enqueue' }>;

/** URLs are the gateway's: it says where each callback goes. */
export interface RenderContext {
  /** The absolute URL Twilio should call back to resume the flow at a node. */
  resumeUrl: (resume: Resume) => string;
  /** The URL of the hold page for a waiting caller (serve `renderQueueWaitTwiml` there). */
  waitUrl: (enqueue: EnqueueInstruction) => string;
}

function prompt(p: Prompt): string {
  switch (p.kind) {
    case 'say':
      return element('Say', { voice: p.voice || undefined, language: p.language || undefined, loop: p.loop || undefined }, p.text);
    case 'play':
      return element('Play', { loop: p.loop || undefined }, p.url);
    case 'pause':
      return element('Pause', { length: p.seconds });
  }
}

function instruction(i: Instruction, ctx: RenderContext): string {
  switch (i.kind) {
    case 'say':
    case 'play':
    case 'pause':
      return prompt(i);
    case 'gather': {
      const attributes: Attributes = {
        input: 'dtmf', action: ctx.resumeUrl(i.resume), method: 'POST', actionOnEmptyResult: true,
        numDigits: i.numDigits, finishOnKey: i.finishOnKey, timeout: i.timeoutSeconds,
      };
      return element('Gather', attributes, undefined, i.prompts.map(prompt).join(''));
    }
    case 'redirect':
      return element('Redirect', { method: 'POST' }, ctx.resumeUrl(i.resume));
    case 'enqueue':
      return element('Enqueue', { action: ctx.resumeUrl(i.resume), method: 'POST', waitUrl: ctx.waitUrl(i), waitUrlMethod: 'POST' }, i.queue);
    case 'dial': {
      const action = i.resume ? ctx.resumeUrl(i.resume) : undefined;
      return element('Dial', {
        action, method: action === undefined ? undefined : 'POST', callerId: i.callerId || undefined, timeout: i.timeoutSeconds,
        record: i.record ? 'record-from-answer' : undefined,
      }, i.number);
    }
    case 'record':
      return element('Record', {
        action: ctx.resumeUrl(i.resume), method: 'POST', maxLength: i.maxLengthSeconds, playBeep: i.playBeep,
        transcribe: i.transcribe, finishOnKey: '#', timeout: 5,
      });
    case 'hangup':
      return element('Hangup', {});
    case 'marker':
      return '';
  }
}

/**
 * Turns instructions into a TwiML document: the same bytes the twilio SDK's `VoiceResponse` builder writes (the spec
 * compares the two over random instructions), without building its DOM, a costly thing on every webhook.
 */
export function renderTwiml(instructions: readonly Instruction[], ctx: RenderContext): string {
  let body = '';
  for (const i of instructions) body += instruction(i, ctx);
  return `${TWIML_DECLARATION}${body === '' ? '<Response/>' : `<Response>${body}</Response>`}`;
}
