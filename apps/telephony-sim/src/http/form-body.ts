import type { FastifyInstance } from 'fastify';

export type FormBody = Record<string, string | string[]>;

/** Twilio's API takes `application/x-www-form-urlencoded`; repeated keys become arrays. */
export function parseForm(text: string): FormBody {
  const out: FormBody = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const prior = out[key];
    if (prior === undefined) out[key] = value;
    else out[key] = Array.isArray(prior) ? [...prior, value] : [prior, value];
  }
  return out;
}

export function registerFormParser(app: FastifyInstance): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, parseForm(body as string));
  });
}

/** One value of a form field (the last one when repeated). */
export function field(body: FormBody | undefined, key: string): string | undefined {
  const v = body?.[key];
  return Array.isArray(v) ? v[v.length - 1] : v;
}

/** Every value of a form field, split on spaces too as Twilio accepts for StatusCallbackEvent. */
export function fieldList(body: FormBody | undefined, key: string): string[] {
  const v = body?.[key];
  const all = v === undefined ? [] : Array.isArray(v) ? v : [v];
  return all.flatMap((s) => s.split(/[\s,]+/)).filter(Boolean);
}
