import type { FastifyInstance } from 'fastify';
import { field } from '../http/form-body';
import { sentDateFilter } from '../sms/message-list-filter';
import { E164 } from '../state/sid';
import { listPage } from './representations/list-page.representation';
import { messageRepresentation } from './representations/message.representation';
import { type AccountRequest, pageSize, type RestDeps, sidParam, validUrl } from './rest-deps';
import { TwilioError } from './twilio-error';

/** Twilio's Messages resource: create (with status callbacks), fetch, list (by To, From and DateSent, `<` and `>` on or before / after). */
export function registerMessageRoutes(app: FastifyInstance, deps: RestDeps): void {
  app.post('/Messages.json', async (request, reply) => {
    const req = request as AccountRequest;
    const to = field(req.body, 'To');
    const from = field(req.body, 'From');
    const body = field(req.body, 'Body');
    if (!to) throw new TwilioError(400, 21604, "A 'To' phone number is required.");
    if (!from) throw new TwilioError(400, 21603, "A 'From' phone number is required.");
    if (!body) throw new TwilioError(400, 21602, 'Message body is required.');
    if (!E164.test(to)) throw TwilioError.invalidTo(to);
    if (body.length > 1600) throw new TwilioError(400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
    const owned = deps.store.numberByPhone(from);
    if (!owned || owned.accountSid !== req.account.sid) {
      throw new TwilioError(400, 21606, `The From phone number ${from} is not a valid, SMS-capable inbound phone number or short code for your account.`);
    }
    if (deps.store.optOuts.has(`${to} ${from}`)) throw new TwilioError(400, 21610, 'Attempt to send to unsubscribed recipient');
    if (!deps.limiter.tryAcquire(`messages:${req.account.sid}`, req.account.mps)) throw TwilioError.tooManyRequests('messages');
    const statusCallback = validUrl('StatusCallback', field(req.body, 'StatusCallback'));
    const message = deps.sms.createFromApi(req.account, { to, from, body, statusCallback });
    return reply.code(201).send(messageRepresentation(message));
  });

  app.get('/Messages.json', async (request) => {
    const req = request as AccountRequest;
    const q = req.query ?? {};
    const sent = sentDateFilter(q);
    if ('invalid' in sent) throw new TwilioError(400, 20001, `Invalid ${sent.invalid}: "${q[sent.invalid]}" is not a date (YYYY-MM-DD) or a date and time`);
    // Twilio's lists are eventually consistent: SIM_MESSAGE_LIST_LAG_MS hides a message from lists that long after it was created.
    const visibleUntil = Date.now() - (Number(process.env.SIM_MESSAGE_LIST_LAG_MS) || 0);
    const messages = [...deps.store.messages.values()]
      .filter((m) => m.accountSid === req.account.sid && (!q.To || m.to === q.To) && (!q.From || m.from === q.From) && sent.ok(m) && m.dateCreated.getTime() <= visibleUntil)
      .sort((a, b) => b.dateCreated.getTime() - a.dateCreated.getTime())
      .map(messageRepresentation);
    return listPage('messages', `/2010-04-01/Accounts/${req.account.sid}/Messages.json`, messages, pageSize(q));
  });

  app.get('/Messages/:messageFile', async (request) => {
    const req = request as AccountRequest;
    const sid = sidParam(req, req.params.messageFile, 'SM');
    const message = deps.store.messages.get(sid);
    if (!message || message.accountSid !== req.account.sid) throw TwilioError.notFound(req.url.split('?')[0]);
    return messageRepresentation(message);
  });
}
