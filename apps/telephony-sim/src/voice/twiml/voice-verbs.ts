import { Attrs } from './twiml-attributes';
import { TwimlError } from './twiml-error';
import { VOICE_RULES } from './twiml-grammar';
import { parseTwimlTree, type TwimlElement } from './twiml-tree';

export type PromptVerb =
  | { verb: 'Say'; text: string; loop: number }
  | { verb: 'Play'; url: string | null; digits: string | null; loop: number }
  | { verb: 'Pause'; length: number };

export type DialTarget =
  | { kind: 'number'; number: string; url: string | null; method: 'GET' | 'POST' }
  | { kind: 'queue'; name: string; url: string | null; method: 'GET' | 'POST' }
  | { kind: 'unsupported'; noun: string; value: string };

export type VoiceVerb =
  | PromptVerb
  | {
      verb: 'Gather';
      action: string | null;
      method: 'GET' | 'POST';
      timeout: number;
      finishOnKey: string;
      numDigits: number | undefined;
      actionOnEmptyResult: boolean;
      prompts: PromptVerb[];
    }
  | {
      verb: 'Record';
      action: string | null;
      method: 'GET' | 'POST';
      timeout: number;
      finishOnKey: string;
      maxLength: number;
      playBeep: boolean;
      recordingStatusCallback: string | null;
      recordingStatusCallbackMethod: 'GET' | 'POST';
    }
  | {
      verb: 'Dial';
      action: string | null;
      method: 'GET' | 'POST';
      timeout: number;
      timeLimit: number;
      callerId: string | null;
      /** Whether the bridged conversation is recorded (record="record-from-answer" and kin). */
      record: boolean;
      recordingStatusCallback: string | null;
      recordingStatusCallbackMethod: 'GET' | 'POST';
      targets: DialTarget[];
    }
  | { verb: 'Enqueue'; name: string; action: string | null; method: 'GET' | 'POST'; waitUrl: string | null; waitUrlMethod: 'GET' | 'POST' }
  | { verb: 'Hangup' }
  | { verb: 'Reject'; reason: 'rejected' | 'busy' }
  | { verb: 'Redirect'; url: string; method: 'GET' | 'POST' }
  | { verb: 'Leave' }
  | { verb: 'Sms'; to: string | null; from: string | null; body: string; statusCallback: string | null };

const DIAL_RECORD = ['do-not-record', 'record-from-answer', 'record-from-ringing', 'record-from-answer-dual', 'record-from-ringing-dual', 'true', 'false'] as const;

function prompt(el: TwimlElement): PromptVerb {
  const a = new Attrs(el);
  switch (el.name) {
    case 'Say': {
      const text = flatText(el).replace(/\s+/g, ' ').replace(/\s+([.,!?;:])/g, '$1').trim();
      return { verb: 'Say', text, loop: a.int('loop', 1) };
    }
    case 'Play': {
      const digits = a.str('digits') ?? null;
      if (digits !== null && !/^[0-9*#wW]+$/.test(digits)) throw new TwimlError(12200, `<Play digits="${digits}">: digits must be 0-9, *, #, w`);
      if (!el.text && digits === null) throw new TwimlError(12200, '<Play> needs a URL to play or a digits attribute');
      return { verb: 'Play', url: el.text || null, digits, loop: a.int('loop', 1) };
    }
    default:
      return { verb: 'Pause', length: a.int('length', 1) };
  }
}

function flatText(el: TwimlElement): string {
  return el.parts.map((p) => (typeof p === 'string' ? p : flatText(p))).join(' ');
}

function dialTargets(el: TwimlElement): DialTarget[] {
  if (el.text && el.children.length) throw new TwimlError(12200, '<Dial> holds either a number as text or nouns, not both');
  if (el.text) return [{ kind: 'number', number: el.text, url: null, method: 'POST' }];
  if (!el.children.length) throw new TwimlError(12200, '<Dial> has nothing to dial');
  return el.children.map((child): DialTarget => {
    const a = new Attrs(child);
    if (!child.text) throw new TwimlError(12200, `<Dial><${child.name}> is empty`);
    if (child.name === 'Number') return { kind: 'number', number: child.text, url: a.str('url') ?? null, method: a.method('method') };
    if (child.name === 'Queue') return { kind: 'queue', name: child.text, url: a.str('url') ?? null, method: a.method('method') };
    return { kind: 'unsupported', noun: child.name, value: child.text };
  });
}

function verb(el: TwimlElement): VoiceVerb {
  const a = new Attrs(el);
  switch (el.name) {
    case 'Say':
    case 'Play':
    case 'Pause':
      return prompt(el);
    case 'Gather':
      return {
        verb: 'Gather',
        action: a.str('action') ?? null,
        method: a.method('method'),
        timeout: a.int('timeout', 5),
        finishOnKey: a.keys('finishOnKey', '#'),
        numDigits: a.optionalInt('numDigits'),
        actionOnEmptyResult: a.bool('actionOnEmptyResult', false),
        prompts: el.children.map(prompt),
      };
    case 'Record':
      return {
        verb: 'Record',
        action: a.str('action') ?? null,
        method: a.method('method'),
        timeout: a.int('timeout', 5),
        finishOnKey: a.str('finishOnKey') ?? '1234567890*#',
        maxLength: a.int('maxLength', 3600, 1),
        playBeep: a.bool('playBeep', true),
        recordingStatusCallback: a.str('recordingStatusCallback') ?? null,
        recordingStatusCallbackMethod: a.method('recordingStatusCallbackMethod'),
      };
    case 'Dial':
      return {
        verb: 'Dial',
        action: a.str('action') ?? null,
        method: a.method('method'),
        timeout: a.int('timeout', 30, 1),
        timeLimit: a.int('timeLimit', 14_400, 1),
        callerId: a.str('callerId') ?? null,
        record: a.oneOf('record', DIAL_RECORD, 'do-not-record') !== 'do-not-record' && a.str('record') !== 'false',
        recordingStatusCallback: a.str('recordingStatusCallback') ?? null,
        recordingStatusCallbackMethod: a.method('recordingStatusCallbackMethod'),
        targets: dialTargets(el),
      };
    case 'Enqueue':
      if (!el.text) throw new TwimlError(12200, '<Enqueue> needs a queue name');
      return {
        verb: 'Enqueue',
        name: el.text,
        action: a.str('action') ?? null,
        method: a.method('method'),
        waitUrl: a.str('waitUrl') ?? null,
        waitUrlMethod: a.method('waitUrlMethod'),
      };
    case 'Redirect':
      if (!el.text) throw new TwimlError(12200, '<Redirect> needs a URL');
      return { verb: 'Redirect', url: el.text, method: a.method('method') };
    case 'Reject':
      return { verb: 'Reject', reason: a.oneOf('reason', ['rejected', 'busy'] as const, 'rejected') };
    case 'Sms':
      if (!el.text) throw new TwimlError(12200, '<Sms> needs a body');
      return { verb: 'Sms', to: a.str('to') ?? null, from: a.str('from') ?? null, body: el.text, statusCallback: a.str('statusCallback') ?? null };
    case 'Hangup':
      return { verb: 'Hangup' };
    case 'Leave':
      return { verb: 'Leave' };
    default:
      throw new TwimlError(12200, `<${el.name}> is not a voice verb`);
  }
}

/** Parses voice TwiML into verbs, or throws TwimlError saying what Twilio would reject and where. */
export function parseVoiceTwiml(xml: string): VoiceVerb[] {
  const root = parseTwimlTree(xml, VOICE_RULES);
  return root.children.map(verb);
}
