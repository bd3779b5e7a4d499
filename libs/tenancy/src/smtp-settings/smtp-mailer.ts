import { isIP } from 'node:net';
import nodemailer from 'nodemailer';
import { AddressPolicy, type HostResolver, systemResolver } from '@ringflow/egress';
import type { RevealedSmtpSettings } from './smtp-settings.service';
import { resolveSmtpTarget } from './smtp-target';

/**
 * A caller may be on the line while an email is sent: TCP connect and the server's greeting get 2 s each,
 * any silence 3 s, and the whole send 5 s, after which the send fails whatever the server is doing.
 */
export const SMTP_TIMEOUTS = { connectMs: 2_000, greetingMs: 2_000, socketMs: 3_000, totalMs: 5_000 } as const;

/** An email not sent; the message says why, for the tenant and the logs (never the password or the commands sent). */
export class SmtpSendError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SmtpSendError';
  }
}

export interface SmtpMailerOptions {
  /** CIDR ranges re-admitted despite the SSRF guard (the operator's egress allow-list); plaintext SMTP may reach only these. */
  allowCidrs: readonly string[];
  /** Resolves host names; defaults to the system's. */
  resolve?: HostResolver;
}

/**
 * Sends one plain-text email through a tenant's SMTP server with nodemailer: the host must pass the same
 * address policy as the flows' http node and the socket connects to the checked address (the host name is
 * kept for the certificate check), so a changed DNS answer cannot reach a refused address.
 */
export class SmtpMailer {
  private readonly policy: AddressPolicy;
  private readonly allowCidrs: readonly string[];
  private readonly resolve: HostResolver;

  constructor(options: SmtpMailerOptions) {
    this.policy = new AddressPolicy(options.allowCidrs);
    this.allowCidrs = options.allowCidrs;
    this.resolve = options.resolve ?? systemResolver;
  }

  /** The server's message id once it accepted the message; throws SmtpSendError otherwise. */
  async send(smtp: RevealedSmtpSettings, message: { to: string; subject: string; text: string }): Promise<string> {
    // One deadline over everything, the name's resolution included (the system resolver has no timeout of its own).
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new SmtpSendError(`email not sent: the SMTP server did not finish within ${SMTP_TIMEOUTS.totalMs} ms`)), SMTP_TIMEOUTS.totalMs);
    });
    try {
      return await Promise.race([this.deliver(smtp, message), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async deliver(smtp: RevealedSmtpSettings, message: { to: string; subject: string; text: string }): Promise<string> {
    const target = await resolveSmtpTarget(smtp.host, this.policy, this.resolve, smtp.security === 'none' ? { cidrs: this.allowCidrs } : null);
    if (target.kind === 'refused') throw new SmtpSendError(target.reason);
    const transport = nodemailer.createTransport({
      host: target.address,
      port: smtp.port,
      secure: smtp.security === 'tls',
      requireTLS: smtp.security === 'starttls',
      ignoreTLS: smtp.security === 'none',
      auth: { user: smtp.username, pass: smtp.password },
      tls: { servername: isIP(target.servername) === 0 ? target.servername : undefined, minVersion: 'TLSv1.2' },
      connectionTimeout: SMTP_TIMEOUTS.connectMs,
      greetingTimeout: SMTP_TIMEOUTS.greetingMs,
      socketTimeout: SMTP_TIMEOUTS.socketMs,
      socketCloseTimeout: 0,
      disableFileAccess: true,
      disableUrlAccess: true,
      logger: false,
      debug: false,
    });
    try {
      const info = await transport.sendMail({ from: smtp.fromAddress, replyTo: smtp.replyTo ?? undefined, to: message.to, subject: message.subject, text: message.text });
      return info.messageId;
    } catch (error) {
      throw new SmtpSendError(`email not sent: ${describeSmtpError(error)}`);
    } finally {
      transport.close();
    }
  }
}

/** nodemailer's error in a line: its code and the server's reply, never the command sent (AUTH carries the password). */
export function describeSmtpError(error: unknown): string {
  const e = error as { code?: string; response?: string; message?: string };
  const reply = e.response ? ` (server said: ${e.response.replace(/\s+/g, ' ').slice(0, 200)})` : '';
  switch (e.code) {
    case 'EAUTH':
      return `the SMTP server refused the username or password${reply}`;
    case 'ETIMEDOUT':
      return `the SMTP server did not answer in time${reply}`;
    case 'ECONNECTION':
    case 'ESOCKET':
      return `could not talk to the SMTP server: ${(e.message ?? 'connection failed').slice(0, 200)}`;
    case 'ETLS':
      return `the SMTP server's TLS failed: ${(e.message ?? '').slice(0, 200)}`;
    case 'EENVELOPE':
    case 'EMESSAGE':
      return `the SMTP server refused the message${reply}`;
    default:
      return `${e.code ?? 'error'}${reply || `: ${(e.message ?? '').slice(0, 200)}`}`;
  }
}
