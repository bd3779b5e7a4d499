import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** A tenant's webhook endpoint for tests: records every post and answers with the status `answer` picks. */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  url = '';
  private server: Server | null = null;

  constructor(private answer: (req: ReceivedWebhook, index: number) => number = () => 200) {}

  /** From now on, answer with this. */
  answerWith(answer: (req: ReceivedWebhook, index: number) => number): void {
    this.answer = answer;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const received = { path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
        this.received.push(received);
        res.writeHead(this.answer(received, this.received.length - 1), { 'content-type': 'text/plain' }).end('ok');
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
