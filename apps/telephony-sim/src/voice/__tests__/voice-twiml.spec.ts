import { TwimlError } from '../twiml/twiml-error';
import { parseMessagingTwiml } from '../twiml/messaging-verbs';
import { parseVoiceTwiml } from '../twiml/voice-verbs';
import { collectDigits } from '../verbs/collect-digits';

const reason = (xml: string): string => {
  try {
    parseVoiceTwiml(xml);
  } catch (err) {
    if (err instanceof TwimlError) return `${err.code} ${err.message}`;
    throw err;
  }
  throw new Error('expected the TwiML to be rejected');
};

describe('voice TwiML parsing', () => {
  it('reads verbs, nested prompts, SSML text and defaults as Twilio documents them', () => {
    const verbs = parseVoiceTwiml(`<?xml version="1.0" encoding="UTF-8"?>
      <Response>
        <Say voice="Polly.Joanna">Welcome to <emphasis>Acme</emphasis>.</Say>
        <Gather numDigits="1" action="/menu"><Say>Press 1 for sales</Say><Pause length="2"/></Gather>
        <Dial callerId="+15550000000" timeout="10"><Number>+15550001111</Number><Queue>support</Queue></Dial>
        <Redirect method="GET">/next</Redirect>
      </Response>`);
    expect(verbs).toEqual([
      { verb: 'Say', text: 'Welcome to Acme.', loop: 1 },
      { verb: 'Gather', action: '/menu', method: 'POST', timeout: 5, finishOnKey: '#', numDigits: 1, actionOnEmptyResult: false, prompts: [{ verb: 'Say', text: 'Press 1 for sales', loop: 1 }, { verb: 'Pause', length: 2 }] },
      { verb: 'Dial', action: null, method: 'POST', timeout: 10, timeLimit: 14400, callerId: '+15550000000', record: false, recordingStatusCallback: null, recordingStatusCallbackMethod: 'POST', targets: [{ kind: 'number', number: '+15550001111', url: null, method: 'POST' }, { kind: 'queue', name: 'support', url: null, method: 'POST' }] },
      { verb: 'Redirect', url: '/next', method: 'GET' },
    ]);
  });

  it.each([
    ['not XML', 'Hello there', /^12100 not well-formed XML/],
    ['an unclosed tag', '<Response><Say>hi</Response>', /^12100 not well-formed XML/],
    ['a root other than <Response>', '<Reply><Say>hi</Say></Reply>', /^12100 the document's root must be a single <Response>/],
    ['an unknown verb', '<Response><Speak>hi</Speak></Response>', /^12200 \/Response: <Speak> is not a TwiML verb/],
    ['an unknown attribute', '<Response><Say colour="red">hi</Say></Response>', /^12200 \/Response\/Say: <Say> has no attribute "colour"/],
    ['a Gather nested in a Gather', '<Response><Gather><Gather/></Gather></Response>', /^12200 \/Response\/Gather: <Gather> may not be nested in <Gather>/],
    ['a Dial inside a Gather', '<Response><Gather><Dial>+15550001111</Dial></Gather></Response>', /may not be nested in <Gather>/],
    ['text directly in Response', '<Response>hello<Hangup/></Response>', /<Response> may not contain text/],
    ['a non-numeric numDigits', '<Response><Gather numDigits="one"/></Response>', /numDigits must be an integer/],
    ['a bad method', '<Response><Redirect method="PUT">/x</Redirect></Response>', /method must be GET or POST/],
    ['a two-key finishOnKey', '<Response><Gather finishOnKey="##"/></Response>', /finishOnKey must be one of 0-9/],
    ['an empty Redirect', '<Response><Redirect/></Response>', /<Redirect> needs a URL/],
    ['<Message> in a voice response', '<Response><Message>hi</Message></Response>', /<Message> is not a TwiML verb or noun Twilio knows here/],
  ])('rejects %s with the reason', (_name, xml, expected) => {
    expect(reason(xml)).toMatch(expected);
  });

  it('reads messaging TwiML replies and rejects voice verbs in them', () => {
    expect(parseMessagingTwiml('<Response><Message>Thanks!</Message><Message to="+15550002222"><Body>Agent notice</Body></Message></Response>')).toEqual([
      { verb: 'Message', to: null, from: null, body: 'Thanks!', statusCallback: null },
      { verb: 'Message', to: '+15550002222', from: null, body: 'Agent notice', statusCallback: null },
    ]);
    expect(() => parseMessagingTwiml('<Response><Say>hi</Say></Response>')).toThrow(/<Say> is not a TwiML verb/);
  });
});

describe('collectDigits (what <Gather> takes from the keys pressed)', () => {
  it.each([
    ['123', { finishOnKey: '#' }, { digits: '123', outcome: 'timeout', finishedOnKey: '' }],
    ['12#3', { finishOnKey: '#' }, { digits: '12', outcome: 'finish-key', finishedOnKey: '#' }],
    ['1234', { finishOnKey: '#', numDigits: 2 }, { digits: '12', outcome: 'num-digits', finishedOnKey: '' }],
    ['#', { finishOnKey: '#' }, { digits: '', outcome: 'finish-key', finishedOnKey: '#' }],
    ['12#', { finishOnKey: '' }, { digits: '12#', outcome: 'timeout', finishedOnKey: '' }],
  ])('%s with %o', (pressed, opts, expected) => {
    expect(collectDigits(pressed, opts)).toEqual(expected);
  });
});
