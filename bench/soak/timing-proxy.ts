// A relay between the simulator (Twilio) and the gateway that times every webhook as Twilio would see it and
// classifies the answer. PUBLIC_BASE_URL is the relay's URL, so the simulator signs the URL it calls and the
// gateway checks that same URL: signatures hold, and every later step and callback comes through here too.
import { Agent, createServer, request, type Server } from 'node:http';
import type { LatencyKind, Recorder } from './recorder';

/** What callers of either tenant may hear when something failed (the tenants' apologies, the platform's, Twilio's). */
export const FALLBACK_PHRASES = ['we cannot take your call right now', 'is sorry', 'an application error has occurred'];

function kindOf(path: string): LatencyKind {
  if (path === '/twilio/voice' || path.startsWith('/twilio/voice?')) return 'voice-first';
  if (path.startsWith('/twilio/voice/status')) return 'voice-status';
  if (path.startsWith('/twilio/voice/')) return 'voice-step';
  if (path.startsWith('/twilio/sms/status')) return 'sms-status';
  if (path.startsWith('/twilio/sms')) return 'sms-inbound';
  return 'other-webhook';
}

export class TimingProxy {
  private server?: Server;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 128 });

  constructor(private readonly gatewayPort: () => number, private readonly recorder: Recorder) {}

  async listen(port: number): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const kind = kindOf(req.url ?? '');
        const t0 = performance.now();
        const upstream = request(
          { host: '127.0.0.1', port: this.gatewayPort(), method: req.method, path: req.url, headers: req.headers, agent: this.agent },
          (answer) => {
            const parts: Buffer[] = [];
            answer.on('data', (chunk: Buffer) => parts.push(chunk));
            answer.on('end', () => {
              const text = Buffer.concat(parts);
              this.recorder.latencyOf(kind, performance.now() - t0);
              this.classify(kind, answer.statusCode ?? 0, text.toString('utf8'), req.url ?? '');
              res.writeHead(answer.statusCode ?? 502, answer.headers);
              res.end(text);
            });
          },
        );
        upstream.on('error', (error) => {
          this.recorder.error(`webhook-unreachable ${kind}`, false, error.message);
          res.writeHead(502).end();
        });
        upstream.end(body);
      });
    });
    // As long as Fastify's (the gateway's) 72 s: at Node's default 5 s the relay closed idle keep-alive sockets the
    // simulator was about to reuse, and a caller heard Twilio's application error (the 60-minute run of 2026-11-22).
    this.server.keepAliveTimeout = 72_000;
    this.server.headersTimeout = 73_000;
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
  }

  private classify(kind: LatencyKind, status: number, body: string, url: string): void {
    if (status >= 500) this.recorder.error(`webhook-5xx ${kind}`, false, `${status} ${url.slice(0, 120)} ${body.slice(0, 200)}`);
    else if (status === 403) this.recorder.error(`webhook-403 ${kind}`, false, url.slice(0, 120));
    else if (status >= 400) this.recorder.error(`webhook-${status} ${kind}`, false, `${url.slice(0, 120)} ${body.slice(0, 200)}`);
    const lower = body.toLowerCase();
    if (FALLBACK_PHRASES.some((p) => lower.includes(p))) this.recorder.error(`fallback-twiml ${kind}`, false, body.slice(0, 300));
  }

  async close(): Promise<void> {
    this.agent.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
