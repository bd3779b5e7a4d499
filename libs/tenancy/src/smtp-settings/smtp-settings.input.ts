import { isIP } from 'node:net';
import { z } from 'zod';
import { TenancyException } from '../tenancy.exception';

export const SMTP_SECURITY = ['tls', 'starttls', 'none'] as const;
/** `tls`: TLS from the first byte (usually port 465); `starttls`: plain greeting, then STARTTLS is required (587); `none`: plaintext. */
export type SmtpSecurity = (typeof SMTP_SECURITY)[number];

/** What an admin sets; the password is write-only. */
export interface SmtpSettingsInput {
  host: string;
  port: number;
  security: SmtpSecurity;
  username: string;
  password: string;
  fromAddress: string;
  replyTo?: string | null;
}

const emailAddress = z.email();
// A DNS name of letter-digit-hyphen labels (a trailing dot is not accepted), or an IP literal.
const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** True when `value` is one plain email address (no display name, no list). */
export function isEmailAddress(value: string): boolean {
  return emailAddress.safeParse(value).success;
}

function invalid(field: string, message: string): never {
  throw new TenancyException('invalid-input', `${field} ${message}`, field);
}

/** Checks and normalises settings; throws an invalid-input TenancyException naming the first field at fault. */
export function checkSmtpSettings(input: SmtpSettingsInput): SmtpSettingsInput {
  const host = input.host.trim().toLowerCase();
  if (!HOST_NAME.test(host) && isIP(host) === 0) invalid('host', `must be a host name or IP address, got "${input.host.slice(0, 80)}"`);
  if (!Number.isInteger(input.port) || input.port < 1 || input.port > 65535) invalid('port', `must be a whole number from 1 to 65535, got ${input.port}`);
  if (!SMTP_SECURITY.includes(input.security)) invalid('security', `must be one of ${SMTP_SECURITY.join(', ')}`);
  const username = input.username.trim();
  if (username.length < 1 || username.length > 320) invalid('username', 'must be 1 to 320 characters');
  if (input.password.length < 1 || input.password.length > 512) invalid('password', 'must be 1 to 512 characters');
  const fromAddress = input.fromAddress.trim();
  if (!isEmailAddress(fromAddress)) invalid('fromAddress', `must be an email address like name@example.com, got "${fromAddress.slice(0, 80)}"`);
  const replyTo = input.replyTo?.trim() || null;
  if (replyTo !== null && !isEmailAddress(replyTo)) invalid('replyTo', `must be an email address like name@example.com, got "${replyTo.slice(0, 80)}"`);
  return { host, port: input.port, security: input.security, username, password: input.password, fromAddress, replyTo };
}
