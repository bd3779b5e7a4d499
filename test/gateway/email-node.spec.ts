import { DataSource } from 'typeorm';
import { AuditEntryEntity, SecretsCipher, SMTP_TIMEOUTS, SmtpSettingsEntity, SmtpSettingsService, TenantDatabase, type SmtpSettingsInput, type TenantId } from '@ringflow/tenancy';
import { secretsKeyBytes } from '@ringflow/config';
import { SmtpEmailPort } from '../../apps/gateway/src/ports/smtp-email.port';
import { startSmtpSink, startSilentServer } from './email-node.smtp-sink';
import { startGateways, type GatewayHarness, type TestTenant } from './support/gateway-harness';
import { postSigned, SignedCall } from './support/signed-call';
import { spoken } from './support/twiml-reader';

// The allowed SMTP servers listen on 127.0.0.2, the only range the operator re-admits here; 127.0.0.1
// (what "localhost" resolves to) stays refused like any loopback address.
const ALLOWED_HOST = '127.0.0.2';
const USER = 'ivr@shop.example';
const PASSWORD = 'Sm7p-secret-never-logged';

const emailFlow = {
  schemaVersion: 1,
  name: 'Receipt by email',
  start: 'ask',
  nodes: {
    ask: {
      type: 'input', prompts: [{ kind: 'say', text: 'Enter your 4 digit order number.' }], minDigits: 4, maxDigits: 4,
      next: { valid: 'mail', 'no-input': 'bye', invalid: 'bye' },
    },
    mail: {
      type: 'email', to: 'ada@example.com', subject: 'Your order {{ nodes.ask.digits }}',
      body: 'Hello {{ system.caller }}, order {{ nodes.ask.digits }} ships today.',
      next: { sent: 'sent', failed: 'sorry' },
    },
    sent: { type: 'say', text: 'We have emailed you the receipt.', next: 'bye' },
    sorry: { type: 'say', text: 'Sorry, we could not send you an email.', next: 'bye' },
    bye: { type: 'hangup', prompts: [{ kind: 'say', text: 'Goodbye.' }] },
  },
};

const SENT = ['We have emailed you the receipt.', 'Goodbye.'];
const SORRY = ['Sorry, we could not send you an email.', 'Goodbye.'];

describe('the email node sends through the tenant SMTP server', () => {
  let gw: GatewayHarness;
  let dataSource: DataSource;
  let smtpSettings: SmtpSettingsService;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let numbers = 0;

  async function tenantWithSmtp(name: string, settings: Partial<SmtpSettingsInput> | null): Promise<TestTenant> {
    const tenant = await gw.tenantWithFlow(name, `+1415555${String(300 + numbers++).padStart(4, '0')}`, emailFlow);
    if (settings) {
      await smtpSettings.set(tenant.tenantId, {
        host: ALLOWED_HOST, port: sink.port, security: 'none', username: USER, password: PASSWORD, fromAddress: 'ivr@shop.example', ...settings,
      }, 'test');
    }
    return tenant;
  }

  /** Calls, enters an order number, and answers with what the caller hears after it and how long that took. */
  async function orderBy(tenant: TestTenant, digits = '4711') {
    const call = new SignedCall([gw.url], tenant);
    expect(spoken(await call.start())).toEqual(['Enter your 4 digit order number.']);
    const started = Date.now();
    const heard = spoken(await call.press(digits));
    return { call, heard, ms: Date.now() - started };
  }

  beforeAll(async () => {
    gw = await startGateways(1, { HTTP_EGRESS_ALLOW_CIDRS: `${ALLOWED_HOST}/32` });
    dataSource = await new DataSource({ type: 'postgres', url: gw.database.appUrl, poolSize: 2, entities: [SmtpSettingsEntity, AuditEntryEntity] }).initialize();
    smtpSettings = new SmtpSettingsService(new TenantDatabase(dataSource), new SecretsCipher(secretsKeyBytes(gw.config.SECRETS_KEY)!));
    sink = await startSmtpSink(ALLOWED_HOST, { user: USER, pass: PASSWORD });
  });
  afterAll(async () => {
    await sink.close();
    await dataSource.destroy();
    await gw.close();
  });

  it('delivers the rendered subject and body from the tenant address, and the flow takes sent', async () => {
    const tenant = await tenantWithSmtp('Shop', { replyTo: 'help@shop.example' });
    const before = sink.received.length;
    const { heard } = await orderBy(tenant);
    expect(heard).toEqual(SENT);
    const mails = sink.received.slice(before);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ from: 'ivr@shop.example', to: ['ada@example.com'], user: USER });
    expect(mails[0].raw).toMatch(/^Subject: Your order 4711\r$/m);
    expect(mails[0].raw).toMatch(/^Reply-To: help@shop\.example\r$/m);
    expect(mails[0].raw).toContain('Hello +15551230001, order 4711 ships today.');
  });

  it('a wrong password takes failed quickly, and says why in the log without the password', async () => {
    const tenant = await tenantWithSmtp('Typo Inc', { password: 'not-the-password' });
    const before = { received: sink.received.length, failures: sink.authFailures };
    const { heard, ms } = await orderBy(tenant);
    expect(heard).toEqual(SORRY);
    expect(ms).toBeLessThan(SMTP_TIMEOUTS.totalMs);
    expect(sink.authFailures).toBe(before.failures + 1);
    expect(sink.received.length).toBe(before.received);
    const line = gw.logs.find((l) => l.includes(tenant.tenantId) && l.includes('email node failed'));
    expect(line).toMatch(/refused the username or password/);
    expect(line).not.toContain('not-the-password');
  });

  it('a host that resolves to a loopback address not allow-listed is refused and nothing connects to it', async () => {
    const trap = await startSilentServer('127.0.0.1');
    try {
      const tenant = await tenantWithSmtp('Sneaky', { host: 'localhost', port: trap.port, security: 'tls' });
      const { heard, ms } = await orderBy(tenant);
      expect(heard).toEqual(SORRY);
      expect(ms).toBeLessThan(1500);
      expect(trap.connections).toBe(0);
      const line = gw.logs.find((l) => l.includes(tenant.tenantId) && l.includes('email node failed'));
      expect(line).toMatch(/SMTP host refused: address 127\.0\.0\.1 is in loopback range 127\.0\.0\.0\/8.*\(resolved from localhost\)/);
    } finally {
      await trap.close();
    }
  });

  it('plaintext (security none) to an address outside the allow-list is refused before connecting', async () => {
    const tenant = await tenantWithSmtp('Plain', { host: '8.8.8.8', port: 25 });
    const { heard, ms } = await orderBy(tenant);
    expect(heard).toEqual(SORRY);
    expect(ms).toBeLessThan(1500);
    expect(gw.logs.find((l) => l.includes(tenant.tenantId) && l.includes('email node failed'))).toMatch(/plaintext SMTP \(security none\) is allowed only to operator allow-listed addresses/);
  });

  it('an SMTP server that never greets makes the node fail within the timeout', async () => {
    const silent = await startSilentServer(ALLOWED_HOST);
    try {
      const tenant = await tenantWithSmtp('Hanging', { port: silent.port });
      const { heard, ms } = await orderBy(tenant);
      expect(heard).toEqual(SORRY);
      expect(silent.connections).toBe(1);
      expect(ms).toBeGreaterThanOrEqual(SMTP_TIMEOUTS.greetingMs - 100);
      expect(ms).toBeLessThan(SMTP_TIMEOUTS.totalMs + 1000);
    } finally {
      await silent.close();
    }
  });

  it("Twilio's retry of the step replays the answer and sends the email once", async () => {
    const tenant = await tenantWithSmtp('Retry Co', {});
    const before = sink.received.length;
    const call = new SignedCall([gw.url], tenant);
    await call.start();
    const path = call.nextPath();
    const params = {
      CallSid: call.callSid, AccountSid: tenant.accountSid, From: call.from, To: tenant.number, Caller: call.from, Called: tenant.number,
      Direction: 'inbound', CallStatus: 'in-progress', ApiVersion: '2010-04-01', Digits: '1234',
    };
    const first = await postSigned(gw.url, tenant.authToken, path, params);
    const retry = await postSigned(gw.url, tenant.authToken, path, params);
    expect(spoken(first.body)).toEqual(SENT);
    expect(retry.body).toBe(first.body);
    expect(sink.received.length - before).toBe(1);
  });

  it('the port sends once per idempotency key, even when asked again directly', async () => {
    const tenant = await tenantWithSmtp('Once Co', {});
    const port = gw.apps[0].get(SmtpEmailPort);
    const before = sink.received.length;
    const req = { idempotencyKey: 'CAonce-mail-1', tenant: tenant.tenantId, callSid: 'CAonce', to: 'bob@example.com', subject: 'Once', body: 'Only once.' };
    expect(await port.send(req)).toEqual({ kind: 'ok' });
    expect(await port.send(req)).toEqual({ kind: 'ok' });
    expect(await port.send({ ...req, idempotencyKey: 'CAonce-mail-2' })).toEqual({ kind: 'ok' });
    expect(sink.received.length - before).toBe(2);
    expect(await port.send({ ...req, idempotencyKey: 'CAonce-mail-3', to: 'not an address' })).toEqual({ kind: 'failed', reason: 'the recipient is not an email address' });
  });

  it("tenant B, with no SMTP settings of its own, cannot use tenant A's: its node fails as not configured", async () => {
    await tenantWithSmtp('Tenant A', {});
    const b = await tenantWithSmtp('Tenant B', null);
    const before = sink.received.length;
    const { heard } = await orderBy(b);
    expect(heard).toEqual(SORRY);
    expect(sink.received.length).toBe(before);
    expect(await smtpSettings.reveal(b.tenantId as TenantId)).toBeUndefined();
    expect(gw.logs.find((l) => l.includes(b.tenantId) && l.includes('email node failed'))).toMatch(/email is not configured for this tenant/);
  });

  it('the SMTP password never reaches a log line or the session API', async () => {
    const tenant = await tenantWithSmtp('Quiet Co', {});
    const { call } = await orderBy(tenant);
    const session = await gw.api(gw.url, tenant.adminKey, 'GET', `/api/v1/calls/${call.callSid}/session`);
    expect(session.text).not.toContain(PASSWORD);
    expect(gw.logs.some((l) => l.includes(tenant.tenantId) && l.includes('email sent, message id <'))).toBe(true);
    expect(gw.logs.join('\n')).not.toContain(PASSWORD);
    expect(gw.logs.join('\n')).not.toContain(Buffer.from(`\u0000${USER}\u0000${PASSWORD}`).toString('base64'));
  });

  it('STARTTLS is required when set, and the server certificate is checked: neither an unencrypted server nor an untrusted certificate gets the mail', async () => {
    const selfSigned = await startSmtpSink(ALLOWED_HOST, { user: USER, pass: PASSWORD }, { starttls: true });
    try {
      const port = gw.apps[0].get(SmtpEmailPort);
      const req = { tenant: '', callSid: 'CAtls', to: 'bob@example.com', subject: 'TLS', body: 'Encrypted or nothing.' };
      const plain = await tenantWithSmtp('No TLS', { security: 'starttls' });
      const noTls = await port.send({ ...req, tenant: plain.tenantId, idempotencyKey: 'CAtls-mail-1' });
      expect(noTls).toMatchObject({ kind: 'failed', reason: expect.stringMatching(/TLS failed: Error upgrading connection with STARTTLS/) });
      expect(sink.received.filter((m) => m.raw.includes('Encrypted or nothing.'))).toEqual([]);

      const untrusted = await tenantWithSmtp('Self-signed', { security: 'starttls', port: selfSigned.port });
      const badCert = await port.send({ ...req, tenant: untrusted.tenantId, idempotencyKey: 'CAtls-mail-2' });
      expect(badCert).toMatchObject({ kind: 'failed', reason: expect.stringMatching(/certificate/i) });
      expect(selfSigned.connections).toBe(1);
      expect(selfSigned.received).toEqual([]);
    } finally {
      await selfSigned.close();
    }
  });
});
