import type { FastifyInstance } from 'fastify';
import { type FormBody, field } from '../http/form-body';
import { E164, newSid } from '../state/sid';
import type { SimNumber } from '../state/sim-types';
import { incomingNumberRepresentation } from './representations/incoming-number.representation';
import { listPage } from './representations/list-page.representation';
import { type AccountRequest, httpMethod, pageSize, type RestDeps, sidParam, validUrl } from './rest-deps';
import { TwilioError } from './twilio-error';

/** Applies the webhook settings Twilio lets you set on a number (VoiceUrl, SmsUrl, ...). */
export function applyNumberSettings(n: SimNumber, body: FormBody | undefined): void {
  const has = (k: string) => field(body, k) !== undefined;
  if (has('VoiceUrl')) n.voiceUrl = validUrl('VoiceUrl', field(body, 'VoiceUrl'));
  if (has('VoiceMethod')) n.voiceMethod = httpMethod(field(body, 'VoiceMethod'));
  if (has('SmsUrl')) n.smsUrl = validUrl('SmsUrl', field(body, 'SmsUrl'));
  if (has('SmsMethod')) n.smsMethod = httpMethod(field(body, 'SmsMethod'));
  if (has('StatusCallback')) n.statusCallback = validUrl('StatusCallback', field(body, 'StatusCallback'));
  if (has('StatusCallbackMethod')) n.statusCallbackMethod = httpMethod(field(body, 'StatusCallbackMethod'));
  if (has('FriendlyName')) n.friendlyName = field(body, 'FriendlyName') ?? n.friendlyName;
  n.dateUpdated = new Date();
}

/** Creates a number in an account, as buying one from Twilio would. */
export function createNumber(deps: Pick<RestDeps, 'store'>, accountSid: string, phoneNumber: string, body?: FormBody): SimNumber {
  if (!E164.test(phoneNumber)) throw new TwilioError(400, 21421, `PhoneNumber is invalid: ${phoneNumber}`);
  if (deps.store.numberByPhone(phoneNumber)) throw new TwilioError(400, 21422, `PhoneNumber ${phoneNumber} is not available.`);
  const now = new Date();
  const number: SimNumber = {
    sid: newSid('PN'),
    accountSid,
    phoneNumber,
    friendlyName: phoneNumber,
    voiceUrl: null,
    voiceMethod: 'POST',
    smsUrl: null,
    smsMethod: 'POST',
    statusCallback: null,
    statusCallbackMethod: 'POST',
    dateCreated: now,
    dateUpdated: now,
  };
  applyNumberSettings(number, body);
  deps.store.numbers.set(number.sid, number);
  return number;
}

/** Twilio's IncomingPhoneNumbers: list, buy (create), fetch, update the webhooks. */
export function registerIncomingNumberRoutes(app: FastifyInstance, deps: RestDeps): void {
  app.get('/IncomingPhoneNumbers.json', async (request) => {
    const req = request as AccountRequest;
    const wanted = req.query?.PhoneNumber;
    const items = [...deps.store.numbers.values()]
      .filter((n) => n.accountSid === req.account.sid && (!wanted || n.phoneNumber === wanted))
      .map(incomingNumberRepresentation);
    return listPage('incoming_phone_numbers', `/2010-04-01/Accounts/${req.account.sid}/IncomingPhoneNumbers.json`, items, pageSize(req.query));
  });

  app.post('/IncomingPhoneNumbers.json', async (request, reply) => {
    const req = request as AccountRequest;
    const phoneNumber = field(req.body, 'PhoneNumber');
    if (!phoneNumber) throw TwilioError.missing('PhoneNumber', 21421);
    return reply.code(201).send(incomingNumberRepresentation(createNumber(deps, req.account.sid, phoneNumber, req.body)));
  });

  const find = (req: AccountRequest): SimNumber => {
    const sid = sidParam(req, req.params.numberFile, 'PN');
    const n = deps.store.numbers.get(sid);
    if (!n || n.accountSid !== req.account.sid) throw TwilioError.notFound(req.url.split('?')[0]);
    return n;
  };

  app.get('/IncomingPhoneNumbers/:numberFile', async (request) => incomingNumberRepresentation(find(request as AccountRequest)));

  app.post('/IncomingPhoneNumbers/:numberFile', async (request) => {
    const req = request as AccountRequest;
    const n = find(req);
    applyNumberSettings(n, req.body);
    return incomingNumberRepresentation(n);
  });
}
