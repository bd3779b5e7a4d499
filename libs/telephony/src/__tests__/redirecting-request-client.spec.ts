import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import { RedirectingRequestClient } from '../twilio/redirecting-request-client';

describe('RedirectingRequestClient', () => {
  let server: Server;
  let baseUrl: string;
  const seen: { url: string; headers: IncomingHttpHeaders }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ url: req.url ?? '', headers: req.headers });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ sid: 'CA' + '1'.repeat(32), status: 'queued' }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('sends the SDK’s requests to the base URL with the same path, naming the Twilio host it meant', async () => {
    const client = twilio('AC' + 'a'.repeat(32), 'token', { httpClient: new RedirectingRequestClient(baseUrl) });
    await client.calls('CA' + '1'.repeat(32)).fetch();
    await client.lookups.v2.phoneNumbers('+15550100001').fetch({ fields: 'caller_name' });
    expect(seen.map((s) => [s.url, s.headers['x-twilio-original-host']])).toEqual([
      [`/2010-04-01/Accounts/AC${'a'.repeat(32)}/Calls/CA${'1'.repeat(32)}.json`, 'api.twilio.com'],
      ['/v2/PhoneNumbers/+15550100001?Fields=caller_name', 'lookups.twilio.com'],
    ]);
    expect(seen[0].headers.authorization).toBe(`Basic ${Buffer.from(`AC${'a'.repeat(32)}:token`).toString('base64')}`);
  });
});
