import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HttpPortRequest } from '@ringflow/flow';
import { type LocalTestServer, startLocalTestServer } from './__tests__/local-test-server';
import { type LoopbackConnectGuard, installLoopbackConnectGuard } from './__tests__/loopback-connect-guard';
import type { HostResolver } from './guarded-lookup';
import { SafeHttpClient } from './safe-http-client';

// A self-signed test-only certificate for crm.test and other.test (fixtures/), valid until 2126.
const fixture = (name: string) => readFileSync(join(__dirname, '__tests__', 'fixtures', name), 'utf8');
const cert = fixture('crm-test.cert.pem');
const key = fixture('crm-test.key.pem');

const request = (over: Partial<HttpPortRequest> & { url: string }): HttpPortRequest => ({
  method: 'GET', headers: {}, timeoutMs: 2_000, maxResponseBytes: 65_536, ...over,
});
const toLoopback: HostResolver = async (hostname) => [
  { address: hostname === 'intranet.test' ? '10.1.2.3' : '127.0.0.1', family: 4 },
];

describe('SafeHttpClient over https', () => {
  let guard: LoopbackConnectGuard;
  let secure: LocalTestServer;
  let plain: LocalTestServer;
  let client: SafeHttpClient;

  beforeEach(async () => {
    guard = installLoopbackConnectGuard();
    plain = await startLocalTestServer({ '/': (req, res) => res.writeHead(200).end('plain text') });
    secure = await startLocalTestServer(
      {
        '/customer': (req, res) => res.writeHead(200).end('{"tier":"gold"}'),
        '/downgrade': (req, res) => res.writeHead(302, { Location: `http://crm.test:${plain.port}/` }).end(),
        '/to-intranet': (req, res) => res.writeHead(302, { Location: 'https://intranet.test/' }).end(),
      },
      { tls: { key, cert } },
    );
    client = new SafeHttpClient({ allowCidrs: ['127.0.0.0/8'], lookup: toLoopback, extraCaCertificates: [cert] });
  });

  afterEach(async () => {
    await client.close();
    await secure.close();
    await plain.close();
    guard.restore();
  });

  it('resolves the name through the guarded lookup and verifies the certificate against it', async () => {
    expect(await client.request(request({ url: `https://crm.test:${secure.port}/customer` }))).toMatchObject({
      kind: 'response', status: 200, body: '{"tier":"gold"}',
    });
    expect(guard.attempts).toEqual(['127.0.0.1']);
  });

  it('refuses a redirect from https to http, without calling the http target', async () => {
    expect(await client.request(request({ url: `https://crm.test:${secure.port}/downgrade` }))).toEqual({
      kind: 'failure',
      reason: `redirect from https://crm.test:${secure.port} to http://crm.test:${plain.port} refused: https to http downgrade`,
    });
    expect(plain.requests).toEqual([]);
  });

  it('refuses a redirect to a name that resolves to a private address', async () => {
    expect(await client.request(request({ url: `https://crm.test:${secure.port}/to-intranet` }))).toEqual({
      kind: 'failure',
      reason: 'connection to https://intranet.test refused: address 10.1.2.3 is in private range 10.0.0.0/8 (resolved from intranet.test)',
    });
    expect(guard.attempts).toEqual(['127.0.0.1']);
  });

  it('fails on a certificate that is not for the requested name', async () => {
    const result = await client.request(request({ url: `https://wrong.test:${secure.port}/customer` }));
    expect(result).toMatchObject({
      kind: 'failure',
      reason: expect.stringMatching(new RegExp(`^request to https://wrong.test:${secure.port} failed: TLS certificate is not for this host name`)),
    });
  });

  it('fails on a certificate from an untrusted issuer when no extra CA is configured', async () => {
    const strict = new SafeHttpClient({ allowCidrs: ['127.0.0.0/8'], lookup: toLoopback });
    try {
      const result = await strict.request(request({ url: `https://crm.test:${secure.port}/customer` }));
      expect(result).toEqual({
        kind: 'failure',
        reason: `request to https://crm.test:${secure.port} failed: TLS certificate is self-signed and not trusted (self-signed certificate)`,
      });
    } finally {
      await strict.close();
    }
  });
});
