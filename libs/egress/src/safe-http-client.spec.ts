import { gzipSync } from 'node:zlib';
import type { HttpPortRequest } from '@ringflow/flow';
import { type LocalTestServer, startLocalTestServer } from './__tests__/local-test-server';
import { type LoopbackConnectGuard, installLoopbackConnectGuard } from './__tests__/loopback-connect-guard';
import type { HostResolver } from './guarded-lookup';
import { SafeHttpClient } from './safe-http-client';

// Names the fake resolver knows; everything here runs against servers on 127.0.0.1.
const hosts: Record<string, string> = { 'crm.test': '127.0.0.1', 'other.test': '127.0.0.1', 'intranet.test': '192.168.0.10' };
// 16 MB of zeros, about 16 kB on the wire.
const gzipBomb = gzipSync(Buffer.alloc(16 * 1024 * 1024));
const resolver: HostResolver = async (hostname) => [{ address: hosts[hostname] ?? '0.0.0.0', family: 4 }];

describe('SafeHttpClient against a local server (loopback allow-listed)', () => {
  let guard: LoopbackConnectGuard;
  let server: LocalTestServer;
  let other: LocalTestServer;
  let client: SafeHttpClient;
  const request = (over: Partial<HttpPortRequest> & { url: string }): HttpPortRequest => ({
    method: 'GET', headers: {}, timeoutMs: 2_000, maxResponseBytes: 65_536, ...over,
  });
  const url = (path: string, port = server.port, host = 'crm.test') => `http://${host}:${port}${path}`;

  beforeEach(async () => {
    guard = installLoopbackConnectGuard();
    other = await startLocalTestServer({
      '/landing': (req, res) => res.writeHead(200).end(`landed with ${req.headers.authorization ?? 'no credentials'}`),
    });
    server = await startLocalTestServer({
      '/customer': (req, res) =>
        res.writeHead(200, { 'Content-Type': 'application/json', 'X-Crm': 'v1' }).end('{"name":"Ada Lovelace"}'),
      '/echo': (req, res, body) =>
        res.writeHead(201).end(JSON.stringify({ method: req.method, type: req.headers['content-type'], body })),
      '/broken': (req, res) => res.writeHead(500).end('database down'),
      '/hang': () => undefined,
      '/trickle': (req, res) => {
        res.writeHead(200);
        res.write('partial');
      },
      '/big-declared': (req, res) => res.writeHead(200, { 'Content-Length': '200000' }).end('x'.repeat(200_000)),
      '/exact': (req, res) => res.writeHead(200).end('y'.repeat(1_000)),
      '/endless': (req, res) => {
        res.writeHead(200);
        const chunk = 'z'.repeat(16_384);
        const pump = () => {
          while (!res.destroyed && res.write(chunk));
          if (!res.destroyed) res.once('drain', pump);
        };
        pump();
      },
      '/gzipped': (req, res) =>
        res.writeHead(200, { 'Content-Encoding': 'gzip' }).end(gzipSync(`accept-encoding was ${req.headers['accept-encoding']}`)),
      '/gzip-bomb': (req, res) => res.writeHead(200, { 'Content-Encoding': 'gzip' }).end(gzipBomb),
      '/to-customer': (req, res) => res.writeHead(302, { Location: '/customer' }).end(),
      '/to-other': (req, res) => res.writeHead(307, { Location: url('/landing', other.port, 'other.test') }).end(),
      '/post-303': (req, res) => res.writeHead(303, { Location: '/echo' }).end(),
      '/post-307': (req, res) => res.writeHead(307, { Location: '/echo' }).end(),
      '/to-private': (req, res) => res.writeHead(302, { Location: 'http://10.0.0.5/admin' }).end(),
      '/to-intranet': (req, res) => res.writeHead(302, { Location: 'http://intranet.test/admin' }).end(),
      '/to-metadata': (req, res) => res.writeHead(302, { Location: 'http://169.254.169.254/latest/meta-data/' }).end(),
      '/loop': (req, res) => res.writeHead(302, { Location: '/loop' }).end(),
      '/ping': (req, res) => res.writeHead(302, { Location: '/pong' }).end(),
      '/pong': (req, res) => res.writeHead(302, { Location: '/ping' }).end(),
      '/chain': (req, res) => {
        const step = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('step') ?? '0');
        res.writeHead(302, { Location: `/chain?step=${step + 1}` }).end();
      },
      '/not-modified-ish': (req, res) => res.writeHead(302).end('no location'),
    });
    client = new SafeHttpClient({ allowCidrs: ['127.0.0.0/8'], lookup: resolver, maxRedirects: 3 });
  });

  afterEach(async () => {
    await client.close();
    await server.close();
    await other.close();
    guard.restore();
  });

  it('returns status, lower-cased headers and body of a GET, sending the caller headers', async () => {
    const result = await client.request(request({ url: url('/customer?phone=%2B15550100'), headers: { 'X-Api-Key': 'k-123' } }));
    expect(result).toMatchObject({ kind: 'response', status: 200, body: '{"name":"Ada Lovelace"}' });
    expect(result.kind === 'response' && result.headers).toMatchObject({ 'content-type': 'application/json', 'x-crm': 'v1' });
    expect(server.requests[0].line).toBe('GET /customer?phone=%2B15550100');
    expect(server.requests[0].headers['x-api-key']).toBe('k-123');
    expect(server.requests[0].headers['user-agent']).toBe('Ringflow-HTTP/1');
  });

  it('sends a POST body with its content type', async () => {
    const result = await client.request(
      request({ method: 'POST', url: url('/echo'), headers: { 'Content-Type': 'application/json' }, body: '{"a":1}' }),
    );
    expect(result).toMatchObject({ kind: 'response', status: 201 });
    expect(result.kind === 'response' && JSON.parse(result.body)).toEqual({ method: 'POST', type: 'application/json', body: '{"a":1}' });
  });

  it('returns a 500 answer as a response, not a failure', async () => {
    expect(await client.request(request({ url: url('/broken') }))).toMatchObject({ kind: 'response', status: 500, body: 'database down' });
  });

  it('times out when the server never answers, at the deadline', async () => {
    const started = Date.now();
    expect(await client.request(request({ url: url('/hang'), timeoutMs: 300 }))).toEqual({ kind: 'timeout' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('times out when the body never finishes: the deadline covers the whole request', async () => {
    expect(await client.request(request({ url: url('/trickle'), timeoutMs: 300 }))).toEqual({ kind: 'timeout' });
  });

  it('fails a body whose Content-Length is over the cap without reading it', async () => {
    expect(await client.request(request({ url: url('/big-declared'), maxResponseBytes: 65_536 }))).toEqual({
      kind: 'failure',
      reason: `response body from ${new URL(url('/')).origin} is 200000 bytes (Content-Length), over the limit of 65536 bytes; download aborted`,
    });
  });

  it('aborts an endless streamed body once it passes the cap', async () => {
    const result = await client.request(request({ url: url('/endless'), maxResponseBytes: 65_536, timeoutMs: 5_000 }));
    expect(result).toEqual({
      kind: 'failure',
      reason: `response body from ${new URL(url('/')).origin} is more than 65536 bytes, over the limit of 65536 bytes; download aborted`,
    });
  });

  it('accepts a body of exactly the cap', async () => {
    expect(await client.request(request({ url: url('/exact'), maxResponseBytes: 1_000 }))).toMatchObject({
      kind: 'response', body: 'y'.repeat(1_000),
    });
  });

  it('inflates a gzip body, asking for compression when the caller did not choose', async () => {
    expect(await client.request(request({ url: url('/gzipped') }))).toMatchObject({
      kind: 'response', status: 200, body: 'accept-encoding was gzip, deflate, br',
    });
    const identity = await client.request(request({ url: url('/gzipped'), headers: { 'Accept-Encoding': 'identity' } }));
    expect(identity).toMatchObject({ kind: 'response', body: 'accept-encoding was identity' });
  });

  it('cuts off a compression bomb at the cap on the inflated size', async () => {
    expect(gzipBomb.length).toBeLessThan(65_536);
    expect(await client.request(request({ url: url('/gzip-bomb'), maxResponseBytes: 65_536 }))).toEqual({
      kind: 'failure',
      reason: `response body from ${new URL(url('/')).origin} is more than 65536 bytes, over the limit of 65536 bytes; download aborted`,
    });
  });

  it('follows a redirect to an allowed target', async () => {
    expect(await client.request(request({ url: url('/to-customer') }))).toMatchObject({ kind: 'response', status: 200, body: '{"name":"Ada Lovelace"}' });
    expect(server.requests.map((r) => r.line)).toEqual(['GET /to-customer', 'GET /customer']);
  });

  it('does not carry Authorization to another origin on redirect', async () => {
    const result = await client.request(request({ url: url('/to-other'), headers: { Authorization: 'Bearer s3cret' } }));
    expect(result).toMatchObject({ kind: 'response', status: 200, body: 'landed with no credentials' });
  });

  it('turns POST into GET on 303 and keeps POST and body on 307', async () => {
    const as303 = await client.request(request({ method: 'POST', url: url('/post-303'), body: 'x=1' }));
    expect(as303.kind === 'response' && JSON.parse(as303.body)).toMatchObject({ method: 'GET', body: '' });
    const as307 = await client.request(request({ method: 'POST', url: url('/post-307'), body: 'x=1' }));
    expect(as307.kind === 'response' && JSON.parse(as307.body)).toMatchObject({ method: 'POST', body: 'x=1' });
  });

  it.each([
    ['/to-private', 'address 10.0.0.5 is in private range 10.0.0.0/8 (literal in URL)'],
    ['/to-metadata', 'address 169.254.169.254 is in link-local range 169.254.0.0/16 (cloud metadata endpoint)'],
    ['/to-intranet', 'address 192.168.0.10 is in private range 192.168.0.0/16 (resolved from intranet.test)'],
  ])('refuses the redirect %s before connecting to its target', async (path, reason) => {
    const result = await client.request(request({ url: url(path) }));
    expect(result).toMatchObject({ kind: 'failure' });
    expect(result.kind === 'failure' && result.reason).toContain(reason);
    expect(guard.attempts.every((address) => address === '127.0.0.1')).toBe(true);
  });

  it('stops a redirect loop', async () => {
    expect(await client.request(request({ url: url('/loop') }))).toEqual({
      kind: 'failure', reason: `redirect loop: ${new URL(url('/')).origin} redirected back to a URL already requested`,
    });
    expect(await client.request(request({ url: url('/ping') }))).toMatchObject({ kind: 'failure', reason: expect.stringMatching(/^redirect loop/) });
  });

  it('gives up after maxRedirects redirects', async () => {
    expect(await client.request(request({ url: url('/chain') }))).toEqual({
      kind: 'failure', reason: `too many redirects: gave up after 3, last from ${new URL(url('/')).origin}`,
    });
    expect(server.requests.map((r) => r.line)).toEqual(['GET /chain', 'GET /chain?step=1', 'GET /chain?step=2', 'GET /chain?step=3']);
  });

  it('returns a redirect status without Location as a response', async () => {
    expect(await client.request(request({ url: url('/not-modified-ish') }))).toMatchObject({ kind: 'response', status: 302, body: 'no location' });
  });

  it('keeps one slow origin from starving another: its pool is bounded and others have their own', async () => {
    const bounded = new SafeHttpClient({ allowCidrs: ['127.0.0.0/8'], lookup: resolver, connectionsPerOrigin: 2 });
    try {
      const slow = [1, 2, 3, 4].map(() => bounded.request(request({ url: url('/hang'), timeoutMs: 1_500 })));
      await new Promise((resolve) => setTimeout(resolve, 100));
      const fast = await bounded.request(request({ url: url('/landing', other.port, 'other.test'), timeoutMs: 1_000 }));
      expect(fast).toMatchObject({ kind: 'response', status: 200 });
      expect(server.connections()).toBe(2);
      expect(server.requests).toHaveLength(2);
      expect(await Promise.all(slow)).toEqual([1, 2, 3, 4].map(() => ({ kind: 'timeout' })));
    } finally {
      await bounded.close();
    }
  });

  it('calls an allow-listed IPv6 loopback literal', async () => {
    const v6 = await startLocalTestServer({ '/': (req, res) => res.writeHead(200).end('over IPv6') }, { host: '::1' });
    const allowingV6 = new SafeHttpClient({ allowCidrs: ['::1/128'] });
    try {
      expect(await allowingV6.request(request({ url: `http://[::1]:${v6.port}/` }))).toMatchObject({ kind: 'response', body: 'over IPv6' });
      expect(await client.request(request({ url: `http://[::1]:${v6.port}/` }))).toEqual({
        kind: 'failure', reason: 'request refused: address ::1 is in loopback range ::1/128 (literal in URL)',
      });
    } finally {
      await allowingV6.close();
      await v6.close();
    }
  });

  it('reports a refused connection as a failure naming the origin', async () => {
    const closed = await startLocalTestServer({});
    const port = closed.port;
    await closed.close();
    const result = await client.request(request({ url: url('/x', port) }));
    expect(result).toMatchObject({ kind: 'failure', reason: expect.stringContaining(`request to http://crm.test:${port} failed: connection refused`) });
  });
});
