import { TwilioClientCache } from '../twilio/twilio-client-cache';

const sid = (c: string) => `AC${c.repeat(32)}`;

describe('TwilioClientCache', () => {
  it('keeps one SDK client per account and replaces it when the token is rotated', () => {
    const cache = new TwilioClientCache({ apiBaseUrl: 'http://127.0.0.1:4010' });
    const a1 = cache.get({ accountSid: sid('a'), authToken: 'token-one' });
    expect(cache.get({ accountSid: sid('a'), authToken: 'token-one' })).toBe(a1);
    const b = cache.get({ accountSid: sid('b'), authToken: 'token-one' });
    expect(b).not.toBe(a1);
    expect(cache.size).toBe(2);
    const a2 = cache.get({ accountSid: sid('a'), authToken: 'token-two' });
    expect(a2).not.toBe(a1);
    expect(cache.size).toBe(2);
  });
});
