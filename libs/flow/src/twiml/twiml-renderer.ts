import twilio from 'twilio';
import type { Instruction, Prompt, Resume } from '../runtime/instructions';

type VoiceResponse = InstanceType<typeof twilio.twiml.VoiceResponse>;
type SayParent = Pick<VoiceResponse, 'say' | 'play' | 'pause'>;
type EnqueueInstruction = Extract<Instruction, { kind: 'enqueue' }>;

/** URLs are the gateway's: it says where each callback goes. */
export interface RenderContext {
  /** The absolute URL Twilio should call back to resume the flow at a node. */
  resumeUrl: (resume: Resume) => string;
  /** The URL of the hold page for a waiting caller (serve `renderQueueWaitTwiml` there). */
  waitUrl: (enqueue: EnqueueInstruction) => string;
}

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

/** Turns instructions into a TwiML document, with text escaped by the twilio SDK's builder. */
export function renderTwiml(instructions: readonly Instruction[], ctx: RenderContext): string {
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
        response.enqueue(
          { action: ctx.resumeUrl(i.resume), method: 'POST', waitUrl: ctx.waitUrl(i), waitUrlMethod: 'POST' },
          i.queue,
        );
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
