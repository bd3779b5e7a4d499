import type { FastifyInstance } from 'fastify';
import { field } from '../http/form-body';
import type { SimQueue } from '../state/sim-types';
import { listPage } from './representations/list-page.representation';
import { memberRepresentation, queueRepresentation } from './representations/queue.representation';
import { type AccountRequest, httpMethod, pageSize, type RestDeps, sidParam, validUrl } from './rest-deps';
import { TwilioError } from './twilio-error';

/** Twilio's Queues and queue Members: enough to see who waits and to dequeue (redirect) a caller. */
export function registerQueueRoutes(app: FastifyInstance, deps: RestDeps): void {
  const findQueue = (req: AccountRequest, file: string | undefined): SimQueue => {
    const sid = sidParam(req, file?.endsWith('.json') ? file : `${file}.json`, 'QU');
    const queue = deps.store.queues.get(sid);
    if (!queue || queue.accountSid !== req.account.sid) throw TwilioError.notFound(req.url.split('?')[0]);
    return queue;
  };

  app.post('/Queues.json', async (request, reply) => {
    const req = request as AccountRequest;
    const name = field(req.body, 'FriendlyName');
    if (!name) throw TwilioError.missing('FriendlyName', 20001);
    if (deps.store.queueByName(req.account.sid, name)) {
      throw new TwilioError(400, 22003, `A queue with friendly name "${name}" already exists`);
    }
    const maxSize = Number(field(req.body, 'MaxSize') ?? 1000);
    if (!Number.isInteger(maxSize) || maxSize < 1 || maxSize > 5000) throw new TwilioError(400, 20001, 'MaxSize must be between 1 and 5000');
    return reply.code(201).send(queueRepresentation(deps.store.createQueue(req.account.sid, name, maxSize)));
  });

  app.get('/Queues.json', async (request) => {
    const req = request as AccountRequest;
    const queues = [...deps.store.queues.values()].filter((q) => q.accountSid === req.account.sid).map((q) => queueRepresentation(q));
    return listPage('queues', `/2010-04-01/Accounts/${req.account.sid}/Queues.json`, queues, pageSize(req.query));
  });

  app.get('/Queues/:queueFile', async (request) => {
    const req = request as AccountRequest;
    return queueRepresentation(findQueue(req, req.params.queueFile));
  });

  app.get('/Queues/:queueSid/Members.json', async (request) => {
    const req = request as AccountRequest;
    const queue = findQueue(req, req.params.queueSid);
    const members = queue.members.map((m) => memberRepresentation(queue, m));
    return listPage('queue_members', `/2010-04-01/Accounts/${req.account.sid}/Queues/${queue.sid}/Members.json`, members, pageSize(req.query));
  });

  const findMember = (req: AccountRequest) => {
    const queue = findQueue(req, req.params.queueSid);
    const which = (req.params.memberFile ?? '').replace(/\.json$/, '');
    const member = which === 'Front' ? queue.members[0] : queue.members.find((m) => m.callSid === which);
    if (!member) throw TwilioError.notFound(req.url.split('?')[0]);
    return { queue, member };
  };

  app.get('/Queues/:queueSid/Members/:memberFile', async (request) => {
    const { queue, member } = findMember(request as AccountRequest);
    return memberRepresentation(queue, member);
  });

  app.post('/Queues/:queueSid/Members/:memberFile', async (request) => {
    const req = request as AccountRequest;
    const { queue, member } = findMember(req);
    const url = validUrl('Url', field(req.body, 'Url'));
    if (!url) throw TwilioError.missing('Url', 21205);
    const shown = memberRepresentation(queue, member);
    const call = deps.store.calls.get(member.callSid);
    if (!call || deps.calls.update(call, { kind: 'redirect', url, method: httpMethod(field(req.body, 'Method')) }) !== 'ok') {
      throw TwilioError.notFound(req.url.split('?')[0]);
    }
    queue.members = queue.members.filter((m) => m !== member);
    return shown;
  });
}
