import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import twilio from 'twilio';
import { PUBLIC_BASE_URL, startGateways, type GatewayHarness, type TestTenant } from './support/gateway-harness';
import { spoken } from './support/twiml-reader';

/** An HTTP/1.1 POST whose body arrives in a later TCP segment than its headers, as it may from Twilio over the internet. */
async function postInTwoParts(gatewayUrl: string, path: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(gatewayUrl);
  const socket = connect(Number(port), hostname);
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.setNoDelay(true);
  const head = Object.entries({ ...headers, host: new URL(PUBLIC_BASE_URL).host, 'content-length': String(Buffer.byteLength(body)), connection: 'close' })
    .map(([name, value]) => `${name}: ${value}\r\n`).join('');
  socket.write(`POST ${path} HTTP/1.1\r\n${head}\r\n`);
  await new Promise((resolve) => setTimeout(resolve, 100));
  socket.write(body);
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  await new Promise((resolve) => socket.once('close', resolve));
  const raw = Buffer.concat(chunks).toString();
  const [top, ...rest] = raw.split('\r\n\r\n');
  const text = rest.join('\r\n\r\n');
  // A chunked answer: keep the chunks' data only.
  const unchunked = /transfer-encoding: chunked/i.test(top) ? text.split('\r\n').filter((_, i) => i % 2 === 1).join('') : text;
  return { status: Number(top.split(' ')[1]), body: unchunked };
}

describe('a webhook whose body arrives after its headers', () => {
  let gw: GatewayHarness;
  let tenant: TestTenant;

  beforeAll(async () => {
    gw = await startGateways();
    tenant = await gw.tenantWithFlow('Slow Body Co', '+14155550161', {
      schemaVersion: 1, name: 'Greeting', start: 'hello',
      nodes: { hello: { type: 'say', text: 'Hello from Slow Body.', next: 'bye' }, bye: { type: 'hangup' } },
    });
  });
  afterAll(async () => {
    await gw.close();
  });

  it('runs the flow as when it arrives in one piece', async () => {
    const callSid = `CA${randomBytes(16).toString('hex')}`;
    const params = {
      CallSid: callSid, AccountSid: tenant.accountSid, From: '+15551230001', To: tenant.number, Caller: '+15551230001', Called: tenant.number,
      Direction: 'inbound', CallStatus: 'ringing', ApiVersion: '2010-04-01',
    };
    const answer = await postInTwoParts(gw.url, '/twilio/voice', {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilio.getExpectedTwilioSignature(tenant.authToken, `${PUBLIC_BASE_URL}/twilio/voice`, params),
    }, new URLSearchParams(params).toString());
    expect(answer.status).toBe(200);
    expect(spoken(answer.body)).toEqual(['Hello from Slow Body.']);
  });
});
