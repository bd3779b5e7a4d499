/** Something the caller hears. */
export type Prompt =
  | { kind: 'say'; text: string; voice?: string; language?: string; loop?: number }
  | { kind: 'play'; url: string; loop?: number }
  | { kind: 'pause'; seconds: number };

/** The node a Twilio callback resumes; the renderer turns it into a URL through the gateway's `resumeUrl`. */
export interface Resume {
  nodeId: string;
}

/** What the runtime asks Twilio to do, in order. Markers record side effects and render to nothing. */
export type Instruction =
  | Prompt
  | { kind: 'gather'; prompts: Prompt[]; numDigits: number; finishOnKey: string; timeoutSeconds: number; resume: Resume }
  | { kind: 'redirect'; resume: Resume }
  | { kind: 'enqueue'; queue: string; holdMusicUrl?: string; holdMessage?: string; timeoutSeconds: number; resume: Resume }
  | { kind: 'dial'; number: string; callerId?: string; timeoutSeconds: number; record: boolean; resume?: Resume }
  | { kind: 'record'; maxLengthSeconds: number; transcribe: boolean; playBeep: boolean; resume: Resume }
  | { kind: 'hangup' }
  | { kind: 'marker'; event: MarkerEvent; nodeId: string };

export type MarkerEvent =
  | 'sms-sent' | 'sms-failed' | 'email-sent' | 'email-failed' | 'coupon-issued' | 'coupon-failed'
  | 'opted-out' | 'opt-out-failed' | 'http-called' | 'queued';

export type InstructionKind = Instruction['kind'];
