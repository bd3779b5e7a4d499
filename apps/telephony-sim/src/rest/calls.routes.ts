import type { FastifyInstance } from 'fastify';
import { field, fieldList } from '../http/form-body';
import { parseSentBound } from '../sms/message-list-filter';
import type { SimCall } from '../state/sim-types';
import { E164 } from '../state/sid';
import type { CallEventName } from '../voice/status-callbacks';
import { callRepresentation } from './representations/call.representation';
import { listPage } from './representations/list-page.representation';
import { type AccountRequest, httpMethod, pageSize, type RestDeps, sidParam, validUrl } from './rest-deps';
import { TwilioError } from './twilio-error';

/**
 * The Calls list's `StartTime`, `StartTime<`, `StartTime>`, `EndTime`, `EndTime<` and `EndTime>` filters as Twilio's
 * OpenAPI documents them (a day as YYYY-MM-DD, or a date and time); a call not started (queued) or not ended has no
 * such time and is left out by the matching filters. Answers the first unreadable filter's name instead.
 */
function callTimeFilter(q: Record<string, string | undefined>): ((c: SimCall) => boolean) | { invalid: string } {
  const checks: Array<(c: SimCall) => boolean> = [];
  for (const field of ['StartTime', 'EndTime'] as const) {
    const time = (c: SimCall) => (field === 'StartTime' ? c.startTime : c.endTime)?.getTime() ?? null;
    for (const op of ['', '<', '>'] as const) {
      const value = q[`${field}${op}`];
      if (value === undefined || value === '') continue;
      const bound = parseSentBound(value);
      if (!bound) return { invalid: `${field}${op}` };
      const inBound = op === '' ? (t: number) => t >= bound.start && t < bound.end : op === '<' ? (t: number) => t < bound.end : (t: number) => t >= bound.start;
      checks.push((c) => {
        const t = time(c);
        return t !== null && inBound(t);
      });
    }
  }
  return (c) => checks.every((check) => check(c));
}

const EVENTS: readonly CallEventName[] = ['initiated', 'ringing', 'answered', 'completed'];

/** Twilio's Calls resource: create, fetch, list, update (redirect, new TwiML, end). */
export function registerCallRoutes(app: FastifyInstance, deps: RestDeps): void {
  app.post('/Calls.json', async (request, reply) => {
    const req = request as AccountRequest;
    const body = req.body;
    const to = field(body, 'To');
    const from = field(body, 'From');
    if (!to) throw TwilioError.missing('To', 21201);
    if (!from) throw TwilioError.missing('From', 21213);
    if (!E164.test(to)) throw TwilioError.invalidTo(to);
    const url = validUrl('Url', field(body, 'Url'));
    const twiml = field(body, 'Twiml') ?? null;
    if (!url && !twiml) throw new TwilioError(400, 21205, 'Either Url, Twiml or ApplicationSid is required.');
    const owned = deps.store.numberByPhone(from);
    if (!owned || owned.accountSid !== req.account.sid) {
      throw new TwilioError(400, 21210, `The source phone number provided, ${from}, is not yet verified for your account.`);
    }
    const events = fieldList(body, 'StatusCallbackEvent');
    const unknown = events.find((e) => !EVENTS.includes(e as CallEventName));
    if (unknown) throw new TwilioError(400, 21626, `StatusCallbackEvent "${unknown}" is not one of ${EVENTS.join(', ')}`);
    const amd = field(body, 'MachineDetection');
    if (amd && amd !== 'Enable' && amd !== 'DetectMessageEnd') {
      throw new TwilioError(400, 21626, `MachineDetection must be Enable or DetectMessageEnd, not "${amd}"`);
    }
    if (!deps.limiter.tryAcquire(`calls:${req.account.sid}`, req.account.cps)) throw TwilioError.tooManyRequests('calls');
    const call = deps.calls.placeOutbound(req.account, {
      to,
      from,
      url,
      method: httpMethod(field(body, 'Method')),
      twiml,
      statusCallback: validUrl('StatusCallback', field(body, 'StatusCallback')),
      statusCallbackMethod: httpMethod(field(body, 'StatusCallbackMethod')),
      statusCallbackEvents: events as CallEventName[],
      machineDetection: (amd as 'Enable' | 'DetectMessageEnd' | undefined) ?? null,
      timeout: Number(field(body, 'Timeout') ?? 60),
    });
    return reply.code(201).send(callRepresentation(call));
  });

  app.get('/Calls.json', async (request) => {
    const req = request as AccountRequest;
    const q = req.query ?? {};
    const byTime = callTimeFilter(q);
    if (typeof byTime !== 'function') throw new TwilioError(400, 20001, `Invalid ${byTime.invalid}: "${q[byTime.invalid]}" is not a date (YYYY-MM-DD) or a date and time`);
    const calls = [...deps.store.calls.values()]
      .filter((c) => c.accountSid === req.account.sid && byTime(c))
      .filter((c) => (!q.To || c.to === q.To) && (!q.From || c.from === q.From) && (!q.Status || c.status === q.Status))
      .sort((a, b) => b.dateCreated.getTime() - a.dateCreated.getTime())
      .map(callRepresentation);
    return listPage('calls', `/2010-04-01/Accounts/${req.account.sid}/Calls.json`, calls, pageSize(q));
  });

  const findCall = (req: AccountRequest) => {
    const sid = sidParam(req, req.params.callFile, 'CA');
    const call = deps.store.calls.get(sid);
    if (!call || call.accountSid !== req.account.sid) throw TwilioError.notFound(req.url.split('?')[0]);
    return call;
  };

  app.get('/Calls/:callFile', async (request) => callRepresentation(findCall(request as AccountRequest)));

  app.post('/Calls/:callFile', async (request) => {
    const req = request as AccountRequest;
    const call = findCall(req);
    const status = field(req.body, 'Status');
    const url = validUrl('Url', field(req.body, 'Url'));
    const twiml = field(req.body, 'Twiml');
    let outcome: 'ok' | 'not-in-progress';
    if (status) {
      if (status !== 'completed' && status !== 'canceled') {
        throw new TwilioError(400, 21218, `Status must be completed or canceled, not "${status}"`);
      }
      if (status === 'canceled' && call.status === 'in-progress') {
        outcome = 'ok'; // Twilio ignores a cancel of an answered call.
      } else {
        outcome = deps.calls.update(call, { kind: 'hangup', status });
      }
    } else if (twiml) {
      outcome = deps.calls.update(call, { kind: 'twiml', xml: twiml });
    } else if (url) {
      outcome = deps.calls.update(call, { kind: 'redirect', url, method: httpMethod(field(req.body, 'Method')) });
    } else {
      return callRepresentation(call);
    }
    if (outcome === 'not-in-progress') throw new TwilioError(400, 21220, 'Call is not in-progress. Cannot redirect.');
    return callRepresentation(call);
  });
}
