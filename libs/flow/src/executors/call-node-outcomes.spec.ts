import { driver, heardOutcome, outcomeFlow, wire } from '../../test-support/outcome-flows';

const ask = [{ kind: 'say', text: 'Choose' }];

describe('say, play, pause, goto and hangup', () => {
  it('plays prompts in order and follows next and goto', async () => {
    const flow = outcomeFlow({ type: 'say', text: 'Hi {{ system.caller }}', voice: 'Polly.Joanna', loop: 2, next: 'p' }, ['next'], { file: 'jingle' }, {
      p: { type: 'play', url: 'https://cdn.example.com/{{ vars.file }}.mp3', next: 'q' },
      q: { type: 'pause', seconds: 2, next: 'g' },
      g: { type: 'goto', target: 'o_next' },
    });
    const call = driver(flow);
    await call.start();
    expect(call.last.instructions).toEqual([
      { kind: 'say', text: 'Hi +15551230001', voice: 'Polly.Joanna', loop: 2 },
      { kind: 'play', url: 'https://cdn.example.com/jingle.mp3' },
      { kind: 'pause', seconds: 2 },
      { kind: 'say', text: 'outcome:next' },
      { kind: 'hangup' },
    ]);
    expect(call.state.path).toEqual(['subject', 'p', 'q', 'g', 'o_next', 'end']);
    expect(call.state.ended).toBe(true);
  });

  it('answers a step after the end with a hangup', async () => {
    const call = driver(outcomeFlow({ type: 'hangup', prompts: [{ kind: 'say', text: 'Bye' }] }, []));
    await call.start();
    expect(call.spoken()).toEqual(['Bye']);
    await call.press('1');
    expect(call.last.instructions).toEqual([{ kind: 'hangup' }]);
  });
});

describe('menu', () => {
  const flow = outcomeFlow({
    type: 'menu', prompts: ask, options: [{ key: '1', next: 'o_one' }, { key: '#', next: 'o_hash' }], attempts: 2,
    invalidPrompts: [{ kind: 'say', text: 'Not an option' }], next: wire('no-input', 'invalid'),
  }, ['one', 'hash', 'no-input', 'invalid']);

  it.each([['1', 'one'], ['#', 'hash']])('takes the key %s', async (key, outcome) => {
    const call = driver(flow);
    await call.start();
    await call.press(key);
    expect(heardOutcome(call)).toBe(outcome);
    expect(call.state.nodes.subject).toEqual({ key });
  });

  it('re-prompts once, then takes invalid', async () => {
    const call = driver(flow);
    await call.start();
    await call.press('7');
    expect(call.spoken()).toEqual(['Not an option', 'Choose']);
    await call.press('7');
    expect(heardOutcome(call)).toBe('invalid');
  });

  it('takes no-input after the attempts run out', async () => {
    const call = driver(flow);
    await call.start();
    await call.press('');
    expect(call.spoken()).toEqual(['Choose']);
    await call.press('');
    expect(heardOutcome(call)).toBe('no-input');
  });
});

describe('input', () => {
  const node = (extra: object) => ({
    type: 'input', prompts: ask, minDigits: 4, maxDigits: 6, attempts: 1, next: wire('valid', 'no-input', 'invalid'), ...extra,
  });
  const flow = outcomeFlow(node({}), ['valid', 'no-input', 'invalid']);

  it.each([['1234', 'valid'], ['', 'no-input'], ['12', 'invalid']])('judges %j as %s', async (digits, outcome) => {
    const call = driver(flow);
    await call.start();
    await call.press(digits);
    expect(heardOutcome(call)).toBe(outcome);
  });

  it('keeps plain digits in nodes and sensitive ones apart', async () => {
    const plain = driver(flow);
    await plain.start();
    await plain.press('123456');
    expect(plain.state.nodes.subject).toEqual({ digits: '123456', length: 6 });
    const secret = driver(outcomeFlow(node({ sensitive: true }), ['valid', 'no-input', 'invalid']));
    await secret.start();
    await secret.press('123456');
    expect(secret.state.nodes.subject).toEqual({ length: 6 });
    expect(secret.state.sensitive.subject).toEqual({ digits: '123456' });
  });

  it('gathers up to maxDigits with its finish key', async () => {
    const call = driver(flow);
    await call.start();
    expect(call.last.instructions).toEqual([{
      kind: 'gather', prompts: [{ kind: 'say', text: 'Choose' }], numDigits: 6, finishOnKey: '#', timeoutSeconds: 5, resume: { nodeId: 'subject' },
    }]);
  });
});

describe('dial', () => {
  const flow = outcomeFlow({ type: 'dial', number: '+1555{{ vars.ext }}', next: wire('completed', 'no-answer', 'busy', 'failed') },
    ['completed', 'no-answer', 'busy', 'failed'], { ext: '0100' });
  it.each([['completed', 'completed'], ['answered', 'completed'], ['no-answer', 'no-answer'], ['busy', 'busy'], ['failed', 'failed'], ['canceled', 'failed']])(
    'maps DialCallStatus %s to %s', async (status, outcome) => {
      const call = driver(flow);
      await call.start();
      expect(call.last.instructions).toEqual([{ kind: 'dial', number: '+15550100', timeoutSeconds: 30, record: false, resume: { nodeId: 'subject' } }]);
      await call.post({ DialCallStatus: status, DialCallDuration: '5' });
      expect(heardOutcome(call)).toBe(outcome);
    });
});

describe('queue', () => {
  const flow = outcomeFlow({ type: 'queue', queue: 'sales', priority: '{{ vars.p }}', next: wire('answered', 'voicemail', 'timeout') },
    ['answered', 'voicemail', 'timeout'], { p: '7' });
  it.each([
    [{ QueueResult: 'bridged' }, 'answered'],
    [{ RingflowQueueOutcome: 'answered', RingflowAgent: '+15550109999' }, 'answered'],
    [{ RingflowQueueOutcome: 'voicemail' }, 'voicemail'],
    [{ QueueResult: 'queue-full' }, 'voicemail'],
    [{ QueueResult: 'leave', QueueTime: '300' }, 'timeout'],
  ])('maps %j to %s', async (params, outcome) => {
    const call = driver(flow);
    await call.start();
    expect(call.calls.queue).toEqual([expect.objectContaining({ queue: 'sales', priority: 7 })]);
    await call.post(params);
    expect(heardOutcome(call)).toBe(outcome);
  });

  it('goes to voicemail when the caller cannot be queued', async () => {
    const call = driver(flow, { queue: () => ({ kind: 'failed', reason: 'queue closed' }) });
    await call.start();
    expect(heardOutcome(call)).toBe('voicemail');
  });
});

describe('voicemail', () => {
  const flow = outcomeFlow({ type: 'voicemail', maxLengthSeconds: 60, transcribe: true, next: wire('recorded', 'no-input') }, ['recorded', 'no-input']);
  it.each([[{ RecordingUrl: 'https://api.twilio.com/r/RE1', RecordingDuration: '8' }, 'recorded'], [{ RecordingUrl: '', RecordingDuration: '0' }, 'no-input']])(
    'maps %j to %s', async (params, outcome) => {
      const call = driver(flow);
      await call.start();
      expect(call.kinds()).toEqual(['record']);
      await call.post(params);
      expect(heardOutcome(call)).toBe(outcome);
    });
});

describe('wait', () => {
  const flow = outcomeFlow({ type: 'wait', variable: 'approved', pollSeconds: 5, timeoutSeconds: 60, prompts: [{ kind: 'say', text: 'Please hold' }],
    next: wire('set', 'timeout') }, ['set', 'timeout']);

  it('holds until an outside system sets the variable', async () => {
    const call = driver(flow);
    await call.start();
    expect(call.kinds()).toEqual(['say', 'pause', 'redirect']);
    call.now = new Date(call.now.getTime() + 5000);
    await call.post();
    expect(call.kinds()).toEqual(['say', 'pause', 'redirect']);
    await call.post({}, { approved: 'yes' });
    expect(heardOutcome(call)).toBe('set');
  });

  it('times out from when it started waiting', async () => {
    const call = driver(flow);
    await call.start();
    call.now = new Date(call.now.getTime() + 59_000);
    await call.post();
    expect(heardOutcome(call)).toBeUndefined();
    call.now = new Date(call.now.getTime() + 1_000);
    await call.post();
    expect(heardOutcome(call)).toBe('timeout');
  });
});

describe('templates that render empty', () => {
  it('drop an empty say or play and fail a dial with no number', async () => {
    const flow = outcomeFlow({ type: 'say', text: '{{ vars.nothing }}', next: 'p' }, ['completed', 'no-answer', 'busy', 'failed'], {}, {
      p: { type: 'play', url: '  {{ vars.nothing }} ', next: 'g' },
      g: { type: 'menu', prompts: [{ kind: 'say', text: '{{ vars.nothing }}' }, { kind: 'say', text: 'Press 1' }], options: [{ key: '1', next: 'd' }], next: { 'no-input': 'd', invalid: 'd' } },
      d: { type: 'dial', number: '{{ nodes.q.agent }}', next: wire('completed', 'no-answer', 'busy', 'failed') },
    });
    const call = driver(flow);
    await call.start();
    expect(call.last.instructions).toEqual([expect.objectContaining({ kind: 'gather', prompts: [{ kind: 'say', text: 'Press 1' }] })]);
    await call.press('1');
    expect(heardOutcome(call)).toBe('failed');
    expect(call.state.nodes.d).toEqual({ status: 'no-number', duration: 0 });
  });
});
