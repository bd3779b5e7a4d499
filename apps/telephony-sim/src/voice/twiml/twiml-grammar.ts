/**
 * The TwiML Twilio accepts, as far as the simulator checks it: which verbs, which attributes,
 * which nested elements. Anything outside this is what Twilio rejects with 12200.
 */
export interface ElementRule {
  attributes: readonly string[];
  children: readonly string[];
  /** Whether the element may hold text (a URL, a number, words to say). */
  text: boolean;
}

const METHOD_ATTRS = ['action', 'method'] as const;
const RECORDING_CB = ['recordingStatusCallback', 'recordingStatusCallbackMethod', 'recordingStatusCallbackEvent'];
const SSML = ['break', 'emphasis', 'lang', 'p', 'phoneme', 'prosody', 's', 'say-as', 'sub', 'w', 'amazon:effect', 'amazon:domain'];

const ssmlRules: Record<string, ElementRule> = Object.fromEntries(
  SSML.map((name) => [name, { attributes: ['*'], children: SSML, text: true }]),
);

const say: ElementRule = { attributes: ['voice', 'language', 'loop'], children: SSML, text: true };
const play: ElementRule = { attributes: ['loop', 'digits'], children: [], text: true };
const pause: ElementRule = { attributes: ['length'], children: [], text: false };

export const VOICE_RULES: Record<string, ElementRule> = {
  Response: {
    attributes: [],
    children: ['Say', 'Play', 'Pause', 'Gather', 'Record', 'Dial', 'Enqueue', 'Hangup', 'Reject', 'Redirect', 'Leave', 'Sms'],
    text: false,
  },
  Say: say,
  Play: play,
  Pause: pause,
  Gather: {
    attributes: [
      ...METHOD_ATTRS, 'timeout', 'finishOnKey', 'numDigits', 'input', 'speechTimeout', 'hints', 'language',
      'actionOnEmptyResult', 'partialResultCallback', 'partialResultCallbackMethod', 'profanityFilter',
      'speechModel', 'enhanced', 'debug',
    ],
    children: ['Say', 'Play', 'Pause'],
    text: false,
  },
  Record: {
    attributes: [...METHOD_ATTRS, 'timeout', 'finishOnKey', 'maxLength', 'playBeep', 'trim', 'transcribe', 'transcribeCallback', ...RECORDING_CB],
    children: [],
    text: false,
  },
  Dial: {
    attributes: [
      ...METHOD_ATTRS, 'timeout', 'hangupOnStar', 'timeLimit', 'callerId', 'record', 'trim', 'answerOnBridge',
      'ringTone', 'recordingTrack', 'sequential', 'referUrl', 'referMethod', 'events', ...RECORDING_CB,
    ],
    children: ['Number', 'Client', 'Sip', 'Queue', 'Conference', 'Sim', 'Application'],
    text: true,
  },
  Number: {
    attributes: ['sendDigits', 'url', 'method', 'statusCallbackEvent', 'statusCallback', 'statusCallbackMethod', 'byoc', 'machineDetection', 'amdStatusCallback', 'amdStatusCallbackMethod', 'machineDetectionTimeout'],
    children: [],
    text: true,
  },
  Queue: { attributes: ['url', 'method', 'reservationSid', 'postWorkActivitySid'], children: [], text: true },
  Client: { attributes: ['url', 'method', 'statusCallbackEvent', 'statusCallback', 'statusCallbackMethod'], children: ['Identity', 'Parameter'], text: true },
  Sip: { attributes: ['username', 'password', 'url', 'method', 'statusCallbackEvent', 'statusCallback', 'statusCallbackMethod'], children: [], text: true },
  Conference: { attributes: ['muted', 'beep', 'startConferenceOnEnter', 'endConferenceOnExit', 'waitUrl', 'waitMethod', 'maxParticipants', 'record', 'region', 'trim', 'coach', 'statusCallbackEvent', 'statusCallback', 'statusCallbackMethod', 'jitterBufferSize', 'participantLabel', ...RECORDING_CB], children: [], text: true },
  Sim: { attributes: [], children: [], text: true },
  Application: { attributes: ['url', 'method', 'statusCallbackEvent', 'statusCallback', 'statusCallbackMethod', 'customerId', 'copyParentTo'], children: ['ApplicationSid', 'Parameter'], text: true },
  Identity: { attributes: [], children: [], text: true },
  ApplicationSid: { attributes: [], children: [], text: true },
  Parameter: { attributes: ['name', 'value'], children: [], text: false },
  Enqueue: { attributes: [...METHOD_ATTRS, 'waitUrl', 'waitUrlMethod', 'workflowSid', 'maxQueueSize'], children: ['Task'], text: true },
  Task: { attributes: ['priority', 'timeout'], children: [], text: true },
  Hangup: { attributes: [], children: [], text: false },
  Reject: { attributes: ['reason'], children: [], text: false },
  Redirect: { attributes: ['method'], children: [], text: true },
  Leave: { attributes: [], children: [], text: false },
  Sms: { attributes: ['to', 'from', 'action', 'method', 'statusCallback'], children: [], text: true },
  ...ssmlRules,
};

export const MESSAGING_RULES: Record<string, ElementRule> = {
  Response: { attributes: [], children: ['Message', 'Redirect'], text: false },
  Message: { attributes: ['to', 'from', 'action', 'method', 'statusCallback'], children: ['Body', 'Media'], text: true },
  Body: { attributes: [], children: [], text: true },
  Media: { attributes: [], children: [], text: true },
  Redirect: { attributes: ['method'], children: [], text: true },
};
