import { timingSafeEqual } from 'node:crypto';
import type { SimStore } from '../state/sim-store';
import type { SimAccount } from '../state/sim-types';
import { TwilioError } from './twilio-error';

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The account an `Authorization: Basic sid:token` header proves, as Twilio checks it.
 * Anything else (no header, unknown SID, wrong token, another account's path) is 401 / 20003.
 */
export function authenticate(store: SimStore, header: string | undefined, pathAccountSid?: string): SimAccount {
  const match = /^Basic\s+(.+)$/i.exec(header ?? '');
  if (!match) throw TwilioError.authenticate();
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw TwilioError.authenticate();
  const sid = decoded.slice(0, colon);
  const token = decoded.slice(colon + 1);
  const account = store.accounts.get(sid);
  if (!account || !sameSecret(account.authToken, token)) throw TwilioError.authenticate();
  if (pathAccountSid !== undefined && pathAccountSid !== sid) throw TwilioError.authenticate();
  return account;
}
