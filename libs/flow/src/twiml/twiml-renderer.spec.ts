import { testRender } from '../../test-support/call-driver';
import { renderQueueWaitTwiml } from './queue-wait-twiml';
import { renderTwiml } from './twiml-renderer';

const head = '<?xml version="1.0" encoding="UTF-8"?>';

describe('renderTwiml', () => {
  it('wraps prompts in a Gather for barge-in and escapes text', () => {
    const twiml = renderTwiml([{
      kind: 'gather', numDigits: 1, finishOnKey: '', timeoutSeconds: 5, resume: { nodeId: 'menu' },
      prompts: [{ kind: 'say', text: 'Tom & Jerry <3', voice: 'Polly.Joanna', language: 'en-US' }, { kind: 'play', url: 'https://cdn.example.com/a.mp3?x=1&y=2', loop: 2 }, { kind: 'pause', seconds: 1 }],
    }], testRender);
    expect(twiml).toBe(`${head}<Response><Gather input="dtmf" action="https://gw.example.com/twilio/voice/step?node=menu&amp;t=1" method="POST" actionOnEmptyResult="true" numDigits="1" finishOnKey="" timeout="5">`
      + '<Say voice="Polly.Joanna" language="en-US">Tom &amp; Jerry &lt;3</Say><Play loop="2">https://cdn.example.com/a.mp3?x=1&amp;y=2</Play><Pause length="1"/></Gather></Response>');
  });

  it('renders dial, record, enqueue, redirect and hangup, and drops markers', () => {
    const twiml = renderTwiml([
      { kind: 'marker', event: 'queued', nodeId: 'q' },
      { kind: 'enqueue', queue: 'support', timeoutSeconds: 60, resume: { nodeId: 'q' } },
      { kind: 'dial', number: '+15550100', callerId: '+15550999', timeoutSeconds: 20, record: true, resume: { nodeId: 'd' } },
      { kind: 'record', maxLengthSeconds: 90, transcribe: true, playBeep: true, resume: { nodeId: 'v' } },
      { kind: 'redirect', resume: { nodeId: 'w' } },
      { kind: 'hangup' },
    ], testRender);
    expect(twiml).toBe(`${head}<Response>`
      + '<Enqueue action="https://gw.example.com/twilio/voice/step?node=q&amp;t=1" method="POST" waitUrl="https://gw.example.com/twilio/voice/hold?t=1" waitUrlMethod="POST">support</Enqueue>'
      + '<Dial action="https://gw.example.com/twilio/voice/step?node=d&amp;t=1" method="POST" callerId="+15550999" timeout="20" record="record-from-answer">+15550100</Dial>'
      + '<Record action="https://gw.example.com/twilio/voice/step?node=v&amp;t=1" method="POST" maxLength="90" playBeep="true" transcribe="true" finishOnKey="#" timeout="5"/>'
      + '<Redirect method="POST">https://gw.example.com/twilio/voice/step?node=w&amp;t=1</Redirect><Hangup/></Response>');
  });

  it('renders a fallback transfer without an action', () => {
    expect(renderTwiml([{ kind: 'dial', number: '+15550100', timeoutSeconds: 30, record: false }], testRender))
      .toBe(`${head}<Response><Dial timeout="30">+15550100</Dial></Response>`);
  });
});

describe('renderQueueWaitTwiml', () => {
  it('plays the hold message and music while the caller may wait', () => {
    expect(renderQueueWaitTwiml({ holdMessage: 'Please hold', holdMusicUrl: 'https://cdn.example.com/hold.mp3', queueTimeSeconds: 30, timeoutSeconds: 300 }))
      .toBe(`${head}<Response><Say>Please hold</Say><Play>https://cdn.example.com/hold.mp3</Play></Response>`);
    expect(renderQueueWaitTwiml({ queueTimeSeconds: 0, timeoutSeconds: 300 })).toBe(`${head}<Response><Pause length="10"/></Response>`);
  });

  it('leaves the queue once the timeout has passed', () => {
    expect(renderQueueWaitTwiml({ holdMusicUrl: 'https://cdn.example.com/hold.mp3', queueTimeSeconds: 300, timeoutSeconds: 300 }))
      .toBe(`${head}<Response><Leave/></Response>`);
  });
});
