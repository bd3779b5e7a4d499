import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';

export interface RecordedWebhook {
  method: string;
  path: string;
  url: string;
  params: Record<string, string>;
  /** The raw request body (for JSON posts, which have no form params). */
  body: string;
  /** When it arrived (ms since the epoch). */
  at: number;
  signature: string | undefined;
}

export type WebhookAnswer = { status?: number; contentType?: string; body: string };
export type WebhookHandler = (req: RecordedWebhook) => WebhookAnswer | string | Promise<WebhookAnswer | string>;

/**
 * A tiny web app for tests: records every request (form parameters, signature) and answers
 * with what the test's handler returns (TwiML strings are sent as text/xml).
 */
export class WebhookRecorder {
  readonly requests: RecordedWebhook[] = [];
  private server: Server | null = null;
  url = '';

  constructor(private handler: WebhookHandler = () => '<Response/>') {}

  handle(handler: WebhookHandler): void {
    this.handler = handler;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.serve(req).then(
        (answer) => {
          res.writeHead(answer.status ?? 200, { 'content-type': answer.contentType ?? 'text/xml' });
          res.end(answer.body);
        },
        (err: Error) => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(err.message);
        },
      );
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Requests to one path, in order. */
  to(path: string): RecordedWebhook[] {
    return this.requests.filter((r) => r.path === path);
  }

  /** Whether a recorded request carries Twilio's signature for this auth token. */
  static signedWith(authToken: string, req: RecordedWebhook): boolean {
    return req.signature !== undefined && twilio.validateRequest(authToken, req.signature, req.url, req.method === 'POST' ? req.params : {});
  }

  /** Resolves once `count` requests reached `path` (or rejects after the timeout). */
  async waitFor(path: string, count = 1, timeoutMs = 5000): Promise<RecordedWebhook[]> {
    const start = Date.now();
    while (this.to(path).length < count) {
      if (Date.now() - start > timeoutMs) {
        throw new Error(`expected ${count} request(s) to ${path} within ${timeoutMs} ms, got ${this.to(path).length}: ${this.requests.map((r) => r.path).join(', ')}`);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    return this.to(path);
  }

  private async serve(req: IncomingMessage): Promise<WebhookAnswer> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', this.url);
    const body = Buffer.concat(chunks).toString('utf8');
    const isForm = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
    const params = req.method === 'POST' ? (isForm ? Object.fromEntries(new URLSearchParams(body)) : {}) : Object.fromEntries(url.searchParams);
    const recorded: RecordedWebhook = {
      method: req.method ?? 'GET',
      path: url.pathname,
      url: url.toString(),
      params,
      body,
      at: Date.now(),
      signature: req.headers['x-twilio-signature'] as string | undefined,
    };
    this.requests.push(recorded);
    const answer = await this.handler(recorded);
    return typeof answer === 'string' ? { body: answer } : answer;
  }
}
