import type { FastifyRequest } from 'fastify';
import type { FormBody } from '../http/form-body';
import type { RateLimiter } from '../state/rate-limiter';
import type { SimStore } from '../state/sim-store';
import type { SimAccount } from '../state/sim-types';
import type { SmsEngine } from '../sms/sms-engine';
import type { CallEngine } from '../voice/call-engine';
import { TwilioError } from './twilio-error';

export interface RestDeps {
  store: SimStore;
  limiter: RateLimiter;
  calls: CallEngine;
  sms: SmsEngine;
  publicBaseUrl(): string;
}

export type AccountRequest = FastifyRequest<{ Params: Record<string, string>; Body: FormBody | undefined; Querystring: Record<string, string> }> & {
  account: SimAccount;
};

/** The SID in a path segment like `CA0123….json`; anything else is Twilio's 404. */
export function sidParam(req: FastifyRequest, value: string | undefined, prefix: string): string {
  const match = /^([A-Z]{2}[0-9a-fA-F]{32})\.json$/.exec(value ?? '');
  if (!match || !match[1].startsWith(prefix)) throw TwilioError.notFound(req.url.split('?')[0]);
  return match[1];
}

export function httpMethod(value: string | undefined, fallback: 'GET' | 'POST' = 'POST'): 'GET' | 'POST' {
  if (value === undefined || value === '') return fallback;
  const upper = value.toUpperCase();
  if (upper !== 'GET' && upper !== 'POST') throw new TwilioError(400, 21208, `Method must be GET or POST, not "${value}"`);
  return upper;
}

export function validUrl(name: string, value: string | undefined): string | null {
  if (value === undefined || value === '') return null;
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
    return value;
  } catch {
    throw new TwilioError(400, 21205, `${name} is not a valid URL: ${value}`);
  }
}

export function pageSize(query: Record<string, string> | undefined): number {
  const n = Number(query?.PageSize ?? 50);
  return Number.isInteger(n) && n > 0 && n <= 1000 ? n : 50;
}
