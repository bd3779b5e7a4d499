import { SMTP_TIMEOUTS, SmtpMailer, SmtpSendError, type RevealedSmtpSettings } from '@ringflow/tenancy';
import { startSmtpSink } from './email-node.smtp-sink';

// SmtpMailer with a resolver of the test's own: what a DNS answer can and cannot make it do.
const USER = 'ivr@shop.example';
const PASSWORD = 'mailer-spec-password';
const message = { to: 'ada@example.com', subject: 'Resolver', text: 'Sent to the checked address.' };

describe('SmtpMailer and the SMTP host name', () => {
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let settings: RevealedSmtpSettings;

  beforeAll(async () => {
    sink = await startSmtpSink('127.0.0.2', { user: USER, pass: PASSWORD });
    settings = { host: 'mail.shop.example', port: sink.port, security: 'none', username: USER, password: PASSWORD, fromAddress: USER, replyTo: null, updatedAt: new Date() };
  });
  afterAll(() => sink.close());

  async function failure(run: Promise<unknown>): Promise<string> {
    const error = await run.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(SmtpSendError);
    return (error as Error).message;
  }

  it('connects to the first address the policy admits, skipping refused ones, whatever order DNS gives', async () => {
    const asked: string[] = [];
    const mailer = new SmtpMailer({
      allowCidrs: ['127.0.0.2/32'],
      resolve: async (name) => {
        asked.push(name);
        return [{ address: '169.254.169.254', family: 4 }, { address: '10.0.0.7', family: 4 }, { address: '127.0.0.2', family: 4 }];
      },
    });
    const before = sink.received.length;
    expect(await mailer.send(settings, message)).toMatch(/^<.+>$/);
    expect(asked).toEqual(['mail.shop.example']);
    expect(sink.received.slice(before)).toEqual([expect.objectContaining({ to: ['ada@example.com'], raw: expect.stringContaining('Sent to the checked address.') })]);
  });

  it('a name resolving only to private or metadata addresses is refused with every reason, and nothing connects', async () => {
    const mailer = new SmtpMailer({ allowCidrs: [], resolve: async () => [{ address: '169.254.169.254', family: 4 }, { address: '10.0.0.7', family: 4 }] });
    const connections = sink.connections;
    const reason = await failure(mailer.send({ ...settings, security: 'tls' }, message));
    expect(reason).toBe(
      'SMTP host refused: address 169.254.169.254 is in link-local range 169.254.0.0/16 (cloud metadata endpoint); address 10.0.0.7 is in private range 10.0.0.0/8 (resolved from mail.shop.example)',
    );
    expect(sink.connections).toBe(connections);
  });

  it('a resolver that never answers still ends within the whole-send deadline', async () => {
    const mailer = new SmtpMailer({ allowCidrs: ['127.0.0.2/32'], resolve: () => new Promise(() => undefined) });
    const started = Date.now();
    const reason = await failure(mailer.send(settings, message));
    expect(reason).toBe(`email not sent: the SMTP server did not finish within ${SMTP_TIMEOUTS.totalMs} ms`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(SMTP_TIMEOUTS.totalMs - 50);
    expect(Date.now() - started).toBeLessThan(SMTP_TIMEOUTS.totalMs + 1000);
  });

  it('a name that does not resolve is a failure naming the host', async () => {
    const mailer = new SmtpMailer({
      allowCidrs: [],
      resolve: async () => {
        throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
      },
    });
    expect(await failure(mailer.send(settings, message))).toBe('SMTP host mail.shop.example did not resolve (ENOTFOUND)');
  });

  it('a subject or body rendered from outside data cannot add headers, recipients or SMTP commands', async () => {
    const mailer = new SmtpMailer({ allowCidrs: ['127.0.0.2/32'] });
    const before = sink.received.length;
    await mailer.send({ ...settings, host: '127.0.0.2' }, {
      to: 'ada@example.com', subject: 'Hi\r\nBcc: eve@evil.example\r\nX-Injected: 1', text: 'Line\r\n.\r\nRCPT TO:<eve@evil.example>\r\n',
    });
    const [mail] = sink.received.slice(before);
    expect(mail.to).toEqual(['ada@example.com']);
    expect(mail.raw).toMatch(/^Subject: Hi Bcc: eve@evil\.example X-Injected: 1\r$/m);
    expect(mail.raw).not.toMatch(/^(Bcc|X-Injected):/im);
    expect(sink.received.length - before).toBe(1);
  });
});
