import { afterAttempt, CampaignException, outcomeOfCallStatus, validateCampaignSettings, type CreateCampaignCommand } from '@ringflow/campaign';

const base: CreateCampaignCommand = {
  name: ' Spring push ',
  listId: 'l',
  callerId: '+15550100000',
  answer: { kind: 'url', url: 'https://example.test/voice' },
  callsPerSecond: 5,
  maxConcurrentCalls: 10,
};

describe('campaign settings', () => {
  it('defaults to the 08:00-21:00 window, one attempt, hang up on machines', () => {
    expect(validateCampaignSettings(base)).toMatchObject({
      name: 'Spring push',
      window: { startMinute: 480, endMinute: 1260 },
      maxAttempts: 1,
      retryDelays: {},
      machineHandling: 'hang-up',
    });
  });

  it('narrows the window but never widens it', () => {
    expect(validateCampaignSettings({ ...base, window: { start: '10:30', end: '18:00' } }).window).toEqual({ startMinute: 630, endMinute: 1080 });
    expect(() => validateCampaignSettings({ ...base, window: { start: '07:59', end: '18:00' } })).toThrow('window.start may not be before 08:00');
    expect(() => validateCampaignSettings({ ...base, window: { start: '09:00', end: '21:30' } })).toThrow('window.end may not be after 21:00');
    expect(() => validateCampaignSettings({ ...base, window: { start: '12:00', end: '11:00' } })).toThrow('window must end after it starts');
    expect(() => validateCampaignSettings({ ...base, window: { start: '9am', end: '11:00' } })).toThrow('window.start "9am" must be a time as HH:MM');
  });

  it('names the field at fault', () => {
    const error = (() => {
      try {
        validateCampaignSettings({ ...base, callsPerSecond: 0 });
      } catch (e) {
        return e as CampaignException;
      }
    })();
    expect(error).toMatchObject({ code: 'invalid-input', field: 'callsPerSecond', message: 'callsPerSecond must be a whole number from 1 to 1000, not 0' });
    expect(() => validateCampaignSettings({ ...base, retryDelays: { human: 60 } as never })).toThrow('retryDelays.human is not a retryable outcome');
  });
});

describe('after an attempt', () => {
  const campaign = { maxAttempts: 3, retryDelays: { busy: 60, 'no-answer': 300 }, status: 'running' as const };
  it('retries an outcome with a delay until attempts run out', () => {
    expect(afterAttempt(campaign, 1, 'busy')).toEqual({ kind: 'retry', attempt: 2, delaySeconds: 60 });
    expect(afterAttempt(campaign, 2, 'no-answer')).toEqual({ kind: 'retry', attempt: 3, delaySeconds: 300 });
    expect(afterAttempt(campaign, 3, 'busy')).toEqual({ kind: 'final', disposition: 'busy' });
  });
  it('never retries a human answer, an outcome without a delay, or a cancelled campaign', () => {
    expect(afterAttempt(campaign, 1, 'human')).toEqual({ kind: 'final', disposition: 'human' });
    expect(afterAttempt(campaign, 1, 'machine')).toEqual({ kind: 'final', disposition: 'machine' });
    expect(afterAttempt({ ...campaign, status: 'cancelled' }, 1, 'busy')).toEqual({ kind: 'final', disposition: 'busy' });
  });
  it('reads Twilio final call statuses', () => {
    expect(outcomeOfCallStatus('completed', 'human')).toBe('human');
    expect(outcomeOfCallStatus('completed', 'machine_start')).toBe('machine');
    expect(outcomeOfCallStatus('completed')).toBe('human');
    expect(outcomeOfCallStatus('no-answer')).toBe('no-answer');
    expect(outcomeOfCallStatus('busy')).toBe('busy');
    expect(outcomeOfCallStatus('failed')).toBe('failed');
    expect(outcomeOfCallStatus('ringing')).toBeNull();
  });
});
