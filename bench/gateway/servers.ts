// Child processes of bench/gateway/run.ts: `node -r @swc-node/register bench/gateway/servers.ts <bare|minimal|stub>`.
// Each listens on 127.0.0.1 (port 0) and prints `listening <port>` on its first stdout line.
//   bare:    a Fastify route answering fixed TwiML (what HTTP + form parsing alone cost);
//   minimal: a minimal real step: Twilio signature check, Redis GET and SET of a small session, TwiML from the twilio builder;
//   stub:    the tenant API the bench flow's http node calls (JSON by phone).
import { parse } from 'node:querystring';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import Redis from 'ioredis';
import twilio from 'twilio';

const publicBaseUrl = process.env.BENCH_PUBLIC_BASE_URL ?? 'https://ivr.ringflow.test';
const authToken = process.env.BENCH_AUTH_TOKEN ?? '';
const prompt = 'For your balance, press 1. To hang up, press 9.';

function fastify(): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, parse(body as string)));
  return app;
}

function stepUrl(callSid: string, seq: number): string {
  return `${publicBaseUrl}/twilio/voice/step/bench/${callSid}?node=menu&s=${seq}`;
}

function fixedTwiml(): string {
  const twiml = new twilio.twiml.VoiceResponse();
  twiml.say('Your balance is 42 dollars.');
  twiml.gather({ input: ['dtmf'], numDigits: 1, action: stepUrl('CA00000000000000000000000000000000', 1) }).say(prompt);
  return twiml.toString();
}

async function bare(): Promise<FastifyInstance> {
  const app = fastify();
  const answer = fixedTwiml();
  app.post('/twilio/voice/status', async (_req, reply) => reply.status(204).send());
  app.post('/twilio/voice', async (_req, reply) => reply.type('text/xml').send(answer));
  app.post('/twilio/voice/step/:tenant/:callSid', async (_req, reply) => reply.type('text/xml').send(answer));
  return app;
}

async function minimal(): Promise<FastifyInstance> {
  const app = fastify();
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  app.post('/twilio/voice/status', async (_req, reply) => reply.status(204).send());
  const handler = async (req: { url: string; headers: Record<string, unknown>; body: unknown }, reply: { status: (n: number) => { send: (b: string) => unknown }; type: (t: string) => { send: (b: string) => unknown } }) => {
    const params = req.body as Record<string, string>;
    const signature = String(req.headers['x-twilio-signature'] ?? '');
    if (!twilio.validateRequest(authToken, signature, `${publicBaseUrl}${req.url}`, params)) return reply.status(403).send('Forbidden');
    const key = `rf-bench:{bench}:session:${params.CallSid}`;
    const stored = await redis.get(key);
    const session = stored ? (JSON.parse(stored) as { seq: number; digits: string[] }) : { seq: 0, digits: [] };
    session.seq += 1;
    session.digits = [...session.digits.slice(-9), params.Digits ?? ''];
    await redis.set(key, JSON.stringify(session), 'EX', 600);
    const twiml = new twilio.twiml.VoiceResponse();
    if (params.Digits) twiml.say(`Your balance is ${40 + session.seq} dollars.`);
    twiml.gather({ input: ['dtmf'], numDigits: 1, action: stepUrl(params.CallSid, session.seq) }).say(prompt);
    return reply.type('text/xml').send(twiml.toString());
  };
  app.post('/twilio/voice', handler as never);
  app.post('/twilio/voice/step/:tenant/:callSid', handler as never);
  app.addHook('onClose', async () => void redis.quit());
  return app;
}

async function stub(): Promise<number> {
  const body = JSON.stringify({ account: { balance: '42.10', tier: 'standard', name: 'Ada' } });
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body));
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
  return (server.address() as AddressInfo).port;
}

async function main(): Promise<void> {
  const mode = process.argv[2];
  if (mode === 'stub') {
    console.log(`listening ${await stub()}`);
    return;
  }
  if (mode !== 'bare' && mode !== 'minimal') throw new Error('usage: servers.ts <bare|minimal|stub>');
  const app = mode === 'bare' ? await bare() : await minimal();
  await app.listen({ port: 0, host: '127.0.0.1' });
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
  console.log(`listening ${(app.server.address() as AddressInfo).port}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
