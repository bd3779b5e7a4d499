import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TelephonyExceptionCode } from '../telephony.exception';
import { retryAfterMs } from '../twilio/retry-after-request-client';
import { TwilioTelephonyAdapter } from '../twilio/twilio-telephony.adapter';

const creds = { accountSid: `AC${'a'.repeat(32)}`, authToken: 'token' };
const sms = { to: '+15550100002', from: '+15550100001', body: 'hello' };

describe("Twilio's Retry-After on a 429, through the official SDK", () => {
  let server: Server;
  let url: string;
  let retryAfter: string | null = null;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(429, { 'content-type': 'application/json', ...(retryAfter === null ? {} : { 'retry-after': retryAfter }) });
      res.end(JSON.stringify({ code: 20429, message: 'Too Many Requests', more_info: 'https://www.twilio.com/docs/errors/20429', status: 429 }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('is kept on the rate-limited error when Twilio sends it, in seconds', async () => {
    retryAfter = '3';
    await expect(new TwilioTelephonyAdapter({ apiBaseUrl: url }).sendSms(creds, sms)).rejects.toMatchObject({
      code: TelephonyExceptionCode.RateLimited,
      twilioCode: 20429,
      httpStatus: 429,
      retryAfterMs: 3000,
      refused: true,
    });
  });

  it('is null when Twilio sends none, and the error is still rate-limited', async () => {
    retryAfter = null;
    await expect(new TwilioTelephonyAdapter({ apiBaseUrl: url }).sendSms(creds, sms)).rejects.toMatchObject({
      code: TelephonyExceptionCode.RateLimited,
      twilioCode: 20429,
      retryAfterMs: null,
    });
  });

  it('reads seconds and HTTP dates, and ignores what it cannot read', () => {
    const now = Date.parse('2026-11-22T03:00:00Z');
    expect(retryAfterMs('1.5', now)).toBe(1500);
    expect(retryAfterMs(['2'], now)).toBe(2000);
    expect(retryAfterMs('Sun, 22 Nov 2026 03:00:04 GMT', now)).toBe(4000);
    expect(retryAfterMs('Sun, 22 Nov 2026 02:59:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeNull();
    expect(retryAfterMs(undefined, now)).toBeNull();
  });
});
