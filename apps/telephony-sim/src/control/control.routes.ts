import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { RestDeps } from '../rest/rest-deps';
import { applyNumberSettings, createNumber } from '../rest/incoming-numbers.routes';
import { incomingNumberRepresentation } from '../rest/representations/incoming-number.representation';
import { TwilioError } from '../rest/twilio-error';
import { accountInputSchema, callInputSchema, keysInputSchema, numberInputSchema, phoneInputSchema, smsInputSchema } from './control-schemas';
import { callView, messageView } from './call-view';
import { faultInjectorOf, faultInputSchema } from './fault-injector';

function parse<T extends z.ZodType>(schema: T, body: unknown, reply: FastifyReply): z.infer<T> | undefined {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  void reply.code(400).send({ error: 'invalid input', issues: result.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`) });
  return undefined;
}

/**
 * The simulator's own control API (not Twilio's): accounts, numbers, how phones behave,
 * calls and SMS started by a simulated person, and what happened on them.
 */
export function registerControlRoutes(app: FastifyInstance, deps: RestDeps): void {
  const { store } = deps;

  app.post('/sim/accounts', async (req, reply) => {
    const input = parse(accountInputSchema, req.body, reply);
    if (!input) return reply;
    const existing = input.sid ? store.accounts.get(input.sid) : undefined;
    if (existing) {
      // Setting up the same account again (a scenario run twice) is fine; another token is not.
      if (input.token !== undefined && input.token !== existing.authToken) {
        return reply.code(409).send({ error: `account ${existing.sid} exists already with another token` });
      }
      existing.cps = input.cps;
      existing.mps = input.mps;
      return reply.code(200).send({ sid: existing.sid, token: existing.authToken, cps: existing.cps, mps: existing.mps });
    }
    const a = store.createAccount({ sid: input.sid, authToken: input.token, friendlyName: input.friendlyName, cps: input.cps, mps: input.mps });
    return reply.code(201).send({ sid: a.sid, token: a.authToken, cps: a.cps, mps: a.mps });
  });

  app.post('/sim/numbers', async (req, reply) => {
    const input = parse(numberInputSchema, req.body, reply);
    if (!input) return reply;
    if (!store.accounts.has(input.accountSid)) return reply.code(404).send({ error: `no account ${input.accountSid}` });
    const body: Record<string, string> = {};
    if (input.voiceUrl) body.VoiceUrl = input.voiceUrl;
    if (input.smsUrl) body.SmsUrl = input.smsUrl;
    if (input.statusCallback) body.StatusCallback = input.statusCallback;
    if (input.friendlyName) body.FriendlyName = input.friendlyName;
    const existing = store.numberByPhone(input.phoneNumber);
    if (existing?.accountSid === input.accountSid) {
      applyNumberSettings(existing, body);
      return reply.code(200).send(incomingNumberRepresentation(existing));
    }
    try {
      return reply.code(201).send(incomingNumberRepresentation(createNumber(deps, input.accountSid, input.phoneNumber, body)));
    } catch (err) {
      if (err instanceof TwilioError) return reply.code(409).send({ error: err.message });
      throw err;
    }
  });

  app.get('/sim/numbers', async () =>
    [...store.numbers.values()].map((n) => ({ phoneNumber: n.phoneNumber, accountSid: n.accountSid, voiceUrl: n.voiceUrl, smsUrl: n.smsUrl })),
  );

  app.put('/sim/phones/:number', async (req, reply) => {
    const input = parse(phoneInputSchema, req.body, reply);
    if (!input) return reply;
    const number = (req.params as { number: string }).number;
    if (!/^\+[1-9]\d{6,14}$/.test(number)) return reply.code(400).send({ error: `"${number}" is not an E.164 number like +15551234567` });
    const { callerName, ...script } = input;
    store.phones.set(number, script);
    if (callerName) store.callerNames.set(number, callerName);
    return { number, ...input };
  });

  app.post('/sim/calls', async (req, reply) => {
    const input = parse(callInputSchema, req.body, reply);
    if (!input) return reply;
    let call;
    try {
      call = deps.calls.dialInbound({ from: input.from, to: input.to, script: input.script });
    } catch (err) {
      return reply.code(404).send({ error: (err as Error).message });
    }
    if (input.wait) {
      try {
        call = await deps.calls.waitForEnd(call.sid, input.timeoutMs);
      } catch (err) {
        return reply.code(408).send({ error: (err as Error).message, call: callView(call) });
      }
    }
    return reply.code(201).send(callView(call));
  });

  app.get('/sim/calls', async (req) => {
    const q = req.query as Record<string, string>;
    return [...store.calls.values()]
      .filter((c) => (!q.to || c.to === q.to) && (!q.from || c.from === q.from) && (!q.direction || c.direction === q.direction))
      .sort((a, b) => a.dateCreated.getTime() - b.dateCreated.getTime())
      .map(callView);
  });

  app.get('/sim/calls/:sid', async (req, reply) => {
    const call = store.calls.get((req.params as { sid: string }).sid);
    return call ? callView(call) : reply.code(404).send({ error: 'no such call' });
  });

  app.get('/sim/calls/:sid/end', async (req, reply) => {
    const sid = (req.params as { sid: string }).sid;
    const timeoutMs = Math.min(Number((req.query as Record<string, string>).timeoutMs ?? 60_000), 600_000);
    if (!store.calls.has(sid)) return reply.code(404).send({ error: 'no such call' });
    try {
      return callView(await deps.calls.waitForEnd(sid, timeoutMs));
    } catch (err) {
      return reply.code(408).send({ error: (err as Error).message });
    }
  });

  app.post('/sim/calls/:sid/keys', async (req, reply) => {
    const input = parse(keysInputSchema, req.body, reply);
    if (!input) return reply;
    const sid = (req.params as { sid: string }).sid;
    if (!deps.calls.pressKeys(sid, input.digits)) return reply.code(409).send({ error: `call ${sid} is not live` });
    return reply.code(202).send({ pressed: input.digits });
  });

  app.post('/sim/calls/:sid/hangup', async (req, reply) => {
    const sid = (req.params as { sid: string }).sid;
    if (!deps.calls.hangUpByCaller(sid)) return reply.code(409).send({ error: `call ${sid} is not live` });
    return reply.code(202).send({ hangingUp: sid });
  });

  app.post('/sim/sms', async (req, reply) => {
    const input = parse(smsInputSchema, req.body, reply);
    if (!input) return reply;
    try {
      const result = await deps.sms.receive(input);
      return reply.code(201).send({ message: messageView(result.message), replies: result.replies.map(messageView), failure: result.failure });
    } catch (err) {
      return reply.code(404).send({ error: (err as Error).message });
    }
  });

  app.get('/sim/messages', async (req) => {
    const q = req.query as Record<string, string>;
    return [...store.messages.values()]
      .filter((m) => (!q.to || m.to === q.to) && (!q.from || m.from === q.from))
      .sort((a, b) => a.dateCreated.getTime() - b.dateCreated.getTime())
      .map(messageView);
  });

  // Faults of the REST API (500 and 429 storms): see the README's "Fault injection".
  const faults = faultInjectorOf(deps);
  app.post('/sim/faults', async (req, reply) => {
    const input = parse(faultInputSchema, req.body, reply);
    if (!input) return reply;
    return reply.code(201).send(faults.add(input));
  });
  app.get('/sim/faults', async () => faults.list());
  app.delete('/sim/faults', async () => {
    faults.clear();
    return { cleared: true };
  });
  app.delete('/sim/faults/:id', async (req, reply) => {
    const id = (req.params as { id: string }).id;
    return faults.remove(id) ? { removed: id } : reply.code(404).send({ error: `no fault ${id}` });
  });

  app.post('/sim/reset', async () => {
    await deps.calls.hangUpAll();
    store.reset();
    faults.clear();
    return { reset: true };
  });
}
