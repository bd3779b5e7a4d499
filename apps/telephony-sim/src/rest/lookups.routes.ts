import type { FastifyInstance } from 'fastify';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { authenticate } from './basic-auth';
import type { RestDeps } from './rest-deps';
import { TwilioError } from './twilio-error';

/** Lookups v2 (served by Twilio at lookups.twilio.com): a number's validity and, on request, its caller name. */
export function registerLookupRoutes(app: FastifyInstance, deps: RestDeps): void {
  app.get('/v2/PhoneNumbers/:number', async (request) => {
    const original = request.headers['x-twilio-original-host'];
    if (typeof original === 'string' && original !== 'lookups.twilio.com') throw TwilioError.notFound(request.url.split('?')[0]);
    authenticate(deps.store, request.headers.authorization);
    const raw = decodeURIComponent((request.params as { number: string }).number);
    const fields = ((request.query as Record<string, string>).Fields ?? '').split(',').map((f) => f.trim());
    const parsed = parsePhoneNumberFromString(raw);
    const valid = parsed?.isPossible() === true;
    const e164 = parsed?.number ?? raw;
    const name = deps.store.callerNames.get(e164) ?? null;
    return {
      calling_country_code: valid ? parsed.countryCallingCode : null,
      country_code: valid ? (parsed.country ?? null) : null,
      phone_number: e164,
      national_format: valid ? parsed.formatNational() : null,
      valid,
      validation_errors: valid ? [] : [parsed ? 'INVALID_LENGTH' : 'NOT_A_NUMBER'],
      caller_name: fields.includes('caller_name') && valid ? { caller_name: name, caller_type: name ? 'CONSUMER' : null, error_code: null } : null,
      sim_swap: null,
      call_forwarding: null,
      line_status: null,
      line_type_intelligence: null,
      identity_match: null,
      reassigned_number: null,
      sms_pumping_risk: null,
      phone_number_quality_score: null,
      pre_fill: null,
      url: `https://lookups.twilio.com/v2/PhoneNumbers/${encodeURIComponent(e164)}`,
    };
  });
}
